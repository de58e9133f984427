"""The jinja2 templates, loaded once per process.

Shell templates run in an environment whose `finalize` refuses any `{{ … }}` value that did not go
through the `shell_quote` filter: a forgotten filter fails the render instead of shipping a script
that a value with `$(…)` or a quote could break.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


class ShellWord(str):
    """A value already quoted as one shell word."""

    __slots__ = ()


def shell_quote(value: object) -> ShellWord:
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError, naming the missing variable
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise jinja2.TemplateRuntimeError(f"shell_quote takes strings and integers, got {value!r}")
    return ShellWord(shlex.quote(str(value)))


def _require_shell_word(value: object) -> object:
    if not isinstance(value, ShellWord):
        raise jinja2.TemplateRuntimeError(f"unquoted value in a shell template: {value!r}; use `| shell_quote`")
    return value


def markdown_code(value: object) -> str:
    """Inline code that holds any text: the fence is one backtick longer than the longest run inside."""
    text = " ".join(str(value).splitlines())
    if "`" not in text:
        return f"`{text}`"
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _environment(**options: object) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - shell scripts and Markdown, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        **options,  # type: ignore[arg-type]
    )
    environment.filters["shell_quote"] = shell_quote
    environment.filters["code"] = markdown_code
    return environment


_SHELL = _environment(finalize=_require_shell_word)
_TEXT = _environment()

DEVELOPER_SCRIPT = _SHELL.get_template("setup-k8s-oidc.sh.jinja")
ADMIN_SCRIPT = _SHELL.get_template("configure-identity-service.sh.jinja")
README = _TEXT.get_template("README.md.jinja")
STACK_README = _TEXT.get_template("stack-README.md.jinja")
ENGINEER_GUIDE = _TEXT.get_template("engineer-guide.md.jinja").module
"""The sections both READMEs show engineers, as macros (`guide=` of their render): made once, where a
template's `{% import %}` would look the file up on every render."""
AUTHENTICATION_CONFIG_README = _TEXT.get_template("authentication-config-README.md.jinja")
