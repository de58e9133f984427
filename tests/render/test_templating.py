"""render/templating.py: the Markdown filters every README value goes through, the environments that refuse
a value which skipped its filter, and a whole render whose outputs try to add links, HTML and table
cells to the READMEs (DESIGN.md contract 5, round 3)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from render_support import OKTA_SCOPES, Pki, cluster_output, oidc_config, run_render, write_json

from render import guides, templating
from render.templating import Markdown, fenced, markdown_code

HOSTILE = [
    "a|b",
    "|",
    "||x||",
    "[link](https://evil.example)",
    "<img src=x onerror=alert(1)>",
    "https://evil.example/path",
    "www.evil.example",
    "jane@evil.example",
    "`",
    "``a``",
    "`a",
    "a`",
    " a ",
    "  ",
    "*em* _em_ ~~del~~",
    "&amp; &#124;",
    "\\|",
    "a\\",
    "# heading",
    "line\nbreak\r\nand\u2028more",
    "| cell | cell |",
]


def shown(markdown: str) -> str:
    """What a CommonMark/GFM renderer shows for `markdown_code`'s output: the text of its code spans (a
    run of n backticks up to the next run of exactly n; one space stripped from both ends when both
    have one) and `\\|` as `|`. Anything else there would be Markdown read as Markdown: a failure."""
    text: list[str] = []
    position = 0
    while position < len(markdown):
        if markdown.startswith("\\|", position):
            text.append("|")
            position += 2
            continue
        opening = re.compile("`+").match(markdown, position)
        assert opening, f"{markdown[position:]!r} stands outside a code span in {markdown!r}"
        fence = opening.group()
        closing = next(
            (run for run in re.finditer("`+", markdown[opening.end() :]) if run.group() == fence),
            None,
        )
        assert closing, f"a code span that never closes in {markdown!r}"
        content = markdown[opening.end() : opening.end() + closing.start()]
        if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
            content = content[1:-1]
        text.append(content)
        position = opening.end() + closing.end()
    return "".join(text)


@pytest.mark.parametrize("value", HOSTILE)
def test_code_shows_any_value_exactly_in_code_spans(value: str) -> None:
    escaped = markdown_code(value)
    assert isinstance(escaped, Markdown)
    assert shown(escaped) == " ".join(value.splitlines())
    assert "\n" not in escaped and "\r" not in escaped
    # In a table row, each of the value's pipes is escaped: none ends the cell.
    assert escaped.count("|") == escaped.count("\\|") == value.count("|")


@given(st.text())
def test_code_shows_every_text_exactly(value: str) -> None:
    escaped = markdown_code(value)
    text = " ".join(value.splitlines())
    if not text:  # no code span holds nothing: an empty pair of backticks, shown as it is
        assert escaped == "``"
        return
    assert shown(escaped) == text
    assert escaped.count("|") == escaped.count("\\|")


def test_fenced_keeps_a_value_on_its_line() -> None:
    assert fenced("C:\\path `x` |y|") == "C:\\path `x` |y|"
    for value in ("a\nb", "a\r", "\n```"):
        with pytest.raises(jinja2.TemplateRuntimeError, match="a line break would end a fenced code block"):
            fenced(value)


def render_markdown(source: str, **values: Any) -> str:
    return templating._MARKDOWN.from_string(source).render(**values)


@pytest.mark.parametrize(
    ("source", "value", "expected"),
    [
        ("{{ v | code }}", "a|b", "`a`\\|`b`"),
        ("```sh\nkubectl --context {{ v | shell_quote }}\n```", "it's", "```sh\nkubectl --context 'it'\"'\"'s'\n```"),
        ("```bat\nset X={{ v | fenced }}\n```", "a b", "```bat\nset X=a b\n```"),
        ("{{ v }} cluster", "EKS", "EKS cluster"),
        ("{{ v }}", "self-managed Kubernetes", "self-managed Kubernetes"),
        ("port {{ v }}", 8000, "port 8000"),
        ("{{ v }}", "", ""),
    ],
)
def test_markdown_templates_take_escaped_values_numbers_and_plain_words(source: str, value: Any, expected: str) -> None:
    assert render_markdown(source, v=value) == expected


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("{{ v }}", "a|b"),
        ("{{ v }}", "[x](https://evil.example)"),
        ("{{ v }}", "<b>"),
        ("{{ v }}", "Alpha (us-west-2)"),
        ("{{ v }}", " lead"),
        ("{{ v }}", "a  b"),
        ("{{ v }}", "-a"),
        ("{{ v }}", True),
        ("{{ v }}", None),
        ("{{ v | upper }}", "a:b"),
        ("{{ v ~ '' }}", Markdown("`a`")),  # a Markdown value changed by the template is text again
    ],
)
def test_markdown_templates_refuse_a_value_that_skipped_its_filter(source: str, value: Any) -> None:
    with pytest.raises(jinja2.TemplateRuntimeError, match="unescaped value in a Markdown template"):
        render_markdown(source, v=value)


def test_a_shell_word_is_no_markdown_outside_a_fenced_block() -> None:
    with pytest.raises(jinja2.TemplateRuntimeError, match="unescaped value in a Markdown template"):
        render_markdown("{{ v }}", v=templating.shell_quote("a-b"))


def test_a_missing_value_is_named() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
        render_markdown("{{ missing }}")
    with pytest.raises(jinja2.UndefinedError, match="'missing' is undefined"):
        render_markdown("{{ missing | code }}")


def test_the_guides_macros_give_markdown() -> None:
    section = guides.ENGINEER_GUIDE.sign_out()
    assert isinstance(section, Markdown)
    assert render_markdown("{{ guide.sign_out() }}", guide=guides.ENGINEER_GUIDE) == section


def test_shell_templates_still_take_quoted_words_only() -> None:
    with pytest.raises(jinja2.TemplateRuntimeError, match="unquoted value in a shell template"):
        templating._SHELL.from_string("{{ v }}").render(v=markdown_code("a"))


# --- a whole render ------------------------------------------------------------------------------

EVIL = "EVIL"
"""In every hostile value: outside a code span of a README, it would be Markdown read as Markdown."""


def hostile(label: str) -> str:
    return f"{EVIL}-{label} | [x](https://evil.example/{label}) <img src=x> `tick` **b** www.evil.example |"


CONFIG = """\
version: 1
defaults: {{support: {support}}}
identity_providers:
  okta-main: {{type: okta, prefix: "okta:"}}
clusters:
  alpha: {{type: eks, region: us-west-2, cluster_name: Alpha, identity_providers: [okta-main]}}
  onprem:
    type: kubernetes
    endpoint: https://onprem.acme.internal:6443
    certificate_authority_data: {ca}
    identity_providers: [okta-main]
access:
  - {{identity_provider: okta-main, group: {group}, cluster_role: view}}
  - {{identity_provider: okta-main, user: {user}, cluster_role: edit, namespace: team-a}}
"""


def outputs(stack: str, pki: Pki, *, kubernetes: bool) -> dict[str, Any]:
    oidc = oidc_config(
        client_id=hostile(f"client-{stack}"),
        issuer_url=f"https://issuer.example/{EVIL}|[x](https://evil.example)",
        prefix=hostile("prefix"),
        scopes=OKTA_SCOPES,
        user_claim=hostile("user-claim"),
        groups_claim=hostile("groups-claim"),
    )
    oidc["groups_prefix"] = hostile("groups-prefix")
    return {
        "oidc_config": oidc,
        "cluster": cluster_output(
            name=hostile(f"name-{stack}"),
            type="kubernetes" if kubernetes else "eks",
            location=None if kubernetes else hostile("location"),  # type: ignore[arg-type]
            endpoint=f"https://{stack}.example/{EVIL}|[x](https://evil.example)<b>",
            ca_data=pki.ca_data,
        ),
    }


def outside_code_spans(line: str) -> str:
    """The line without its code spans (CommonMark: a run of n backticks to the next run of exactly n)."""
    kept: list[str] = []
    position = 0
    for opening in re.finditer("`+", line):
        if opening.start() < position:
            continue
        closing = next(
            (run for run in re.finditer("`+", line[opening.end() :]) if len(run.group()) == len(opening.group())),
            None,
        )
        if closing is None:
            continue
        kept.append(line[position : opening.start()])
        position = opening.end() + closing.end()
    kept.append(line[position:])
    return "".join(kept)


def test_no_output_adds_a_link_html_or_a_table_cell_to_a_readme(tmp_path: Path, pki: Pki) -> None:
    config = tmp_path / "oidc.yaml"
    config.write_text(
        CONFIG.format(
            ca=pki.ca_data,
            group=f"'{EVIL}-group|[x](https://evil.example)'",
            user=f"'{EVIL}-user@evil.example|<b>'",
            support=f"'{EVIL}-support |[x](https://evil.example) <b>'",
        ),
        encoding="utf-8",
    )
    rendered_outputs = {
        "alpha-okta-main": outputs("alpha-okta-main", pki, kubernetes=False),
        "onprem-okta-main": outputs("onprem-okta-main", pki, kubernetes=True),
    }
    out = tmp_path / "out"
    result = run_render(config, write_json(tmp_path / "outputs.json", rendered_outputs), out)
    assert result.returncode == 0, result.stderr

    readmes = sorted(out.rglob("*.md"))
    assert [str(path.relative_to(out)) for path in readmes] == [
        "README.md",
        "admin/onprem/README.md",
        "all-clusters/okta-main.md",
        "alpha-okta-main/README.md",
        "onprem-okta-main/README.md",
    ]
    seen = 0
    for readme in readmes:
        lines = readme.read_text(encoding="utf-8").splitlines()
        delimiter_rows = [index for index, line in enumerate(lines) if re.fullmatch(r"\s*\|(-+\|)+", line)]
        for number, line in enumerate(lines, 1):
            seen += line.count(EVIL)
            assert EVIL not in outside_code_spans(line), f"{readme.relative_to(out)}:{number}: {line}"
        for index in delimiter_rows:
            columns = lines[index].count("|")
            row = index + 1
            while row < len(lines) and lines[row].lstrip().startswith("|"):
                unescaped = len(re.findall(r"(?<!\\)\|", lines[row]))
                assert unescaped == columns, f"{readme.relative_to(out)}:{row + 1}: {lines[row]}"
                row += 1
    assert seen > 20  # the values are there, shown, only never as Markdown
