"""The error every props class raises for a value it refuses (cdktf-free), and how props collect them.

It is a `ValueError`, so library users catch it as before; `field` names the prop the value came from
(dotted for a nested value, e.g. `create.pods_cidr`), which lets the config model report the error at
the YAML key the value came from instead of at the whole entry.

Props check every value, not only up to the first refusal (`raise_problems`): one refused value
does not hide another, and the config reports each at its own key in the same run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence


class PropsError(ValueError):
    """A props value refused: `field` is the prop, the message says what was wrong and the fix.

    `problems` holds every refusal it stands for: itself alone, or — for the error `several` makes —
    each refusal of the props (then `field` is the first one's and the message lists them all)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.problems: tuple[PropsError, ...] = (self,)

    @classmethod
    def several(cls, errors: Sequence[PropsError]) -> PropsError:
        """One error for `errors` (at least one): the error itself when there is one refusal, else an
        error whose message lists every refusal, one per line."""
        problems = tuple(problem for error in errors for problem in error.problems)
        if len(problems) == 1:
            return problems[0]
        combined = cls(problems[0].field, f"{len(problems)} problems:\n" + "\n".join(f"- {p}" for p in problems))
        combined.problems = problems
        return combined


def raise_problems(*checks: Callable[[], object]) -> None:
    """Run every check, each on its own; raise a `PropsError` holding every refusal, if any.

    A check raises `PropsError` for what it refuses; a check that needs an earlier one to have passed
    runs inside that one (e.g. subnets are computed only from a valid VPC range)."""
    errors: list[PropsError] = []
    for check in checks:
        try:
            check()
        except PropsError as error:
            errors.append(error)
    if errors:
        raise PropsError.several(errors)
