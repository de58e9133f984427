"""How the render step's jinja2 templates (`render/templates/`) are rendered: their two environments and
their filters. Each artifact module loads its own templates once, at import (`shell_template`,
`markdown_template`).

Each kind of template runs in an environment whose `finalize` refuses any `{{ … }}` value that was not
escaped for it, so a forgotten filter fails the render instead of shipping a file that a value could
break out of:

- shell templates take only values quoted by `shell_quote`, so a value with `$(…)` or a quote stays
  one word of data;
- Markdown templates (the READMEs) take only `Markdown`: a value escaped by `code` (inline code that
  shows any text exactly, in prose and table cells alike) or, inside a fenced code block, by `fenced`
  or `shell_quote`; the output of the engineer guide's macros (whose own values went through the
  same filters); a number; or plain words, which mean nothing to Markdown. So no value can add a
  link, HTML, a table cell or a line of its own to a README.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

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


class Markdown(str):
    """Text that is Markdown as written: escaped by a filter below, or written by this program alone."""

    __slots__ = ()


_PLAIN_WORDS = re.compile(r"(?:[A-Za-z0-9]+(?:[ -][A-Za-z0-9]+)*)?")
"""Letters and digits, with single spaces or hyphens between them: text that means nothing to Markdown
wherever it stands, and needs no escaping."""
_LINE_BREAK = re.compile(r"[\n\r]")


def _text(value: object) -> str:
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError, naming the missing variable
    return str(value)


def markdown_code(value: object) -> Markdown:
    """`value` as inline code, shown exactly, in prose and in table cells alike. A code span shows its
    text literally (no link, autolink, HTML or emphasis starts inside one), its fence one backtick
    longer than any run inside. Only a `|` needs more: it would end a table cell even there, and `\\|`
    shows a backslash outside tables, so each `|` stands between code spans as `\\|`, an escaped pipe
    in both. Line breaks become spaces (no Markdown inline element holds one)."""
    text = " ".join(_text(value).splitlines())
    if not text:
        return Markdown("``")
    return Markdown("\\|".join(_code_span(piece) for piece in text.split("|")))


def _code_span(text: str) -> str:
    if not text:
        return ""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each end of a code span that has one at both (and more than
    # spaces), and a backtick next to the fence would lengthen it: pad with a space, which is stripped.
    spaced = text.startswith(" ") and text.endswith(" ") and text.strip(" ")
    pad = " " if text.startswith("`") or text.endswith("`") or spaced else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(value: object) -> Markdown:
    """`value` inside a fenced code block, where Markdown reads nothing but a line that closes the
    block: it must stay on its line."""
    text = _text(value)
    if _LINE_BREAK.search(text):
        raise jinja2.TemplateRuntimeError(f"a line break would end a fenced code block: {text!r}")
    return Markdown(text)


def _shell_word_in_markdown(value: object) -> Markdown:
    """A shell word (`shell_quote`) in a fenced ```sh block of a README."""
    return fenced(shell_quote(value))


def _require_markdown(value: object) -> object:
    if isinstance(value, Markdown) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and not isinstance(value, ShellWord) and _PLAIN_WORDS.fullmatch(value):
        return value
    raise jinja2.TemplateRuntimeError(
        f"unescaped value in a Markdown template: {_text(value)!r}; use `| code` (or, in a fenced code block, "
        "`| fenced` or `| shell_quote`)"
    )


class MarkdownMacros:
    """A Markdown template's macros, called from other Markdown templates: what they return is Markdown,
    every value inside having gone through the filters of `_MARKDOWN`."""

    def __init__(self, template: jinja2.Template) -> None:
        self._module = template.module

    def __getattr__(self, name: str) -> Any:
        macro = getattr(self._module, name)

        def call(*args: object, **kwargs: object) -> Markdown:
            return Markdown(macro(*args, **kwargs))

        return call


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
    return environment


_SHELL = _environment(finalize=_require_shell_word)
_SHELL.filters["shell_quote"] = shell_quote
_MARKDOWN = _environment(finalize=_require_markdown)
_MARKDOWN.filters.update(code=markdown_code, fenced=fenced, shell_quote=_shell_word_in_markdown)


def shell_template(name: str) -> jinja2.Template:
    """The shell template `templates/<name>`, every value of which must go through `shell_quote`. Loaded
    once, by the module that renders it, at import: a render loads no template."""
    return _SHELL.get_template(name)


def markdown_template(name: str) -> jinja2.Template:
    """The Markdown template `templates/<name>`, every value of which must be escaped for Markdown; loaded
    as `shell_template`."""
    return _MARKDOWN.get_template(name)
