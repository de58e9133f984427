"""The docs as a whole: README.md is the front door (short, the two commands, a link to every page of
docs/), mkdocs.yml's nav holds every page, every ```sh block is clean under shellcheck, and the site
builds with `mkdocs build --strict` — which fails on a broken link or anchor — with the README as its
home page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from tool_support import require_tool, skip_unless

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = sorted((ROOT / "docs").glob("*.md"))
MKDOCS = ROOT / ".tools" / "docs" / "bin" / "mkdocs"
SITE_FILES = ["README.md", "CHANGELOG.md", "mkdocs.yml", "docs", "tools/mkdocs_hooks.py"]
"""What the site is built from."""


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/…` tags (the toc's slugify) are mkdocs' to build, not ours."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def mkdocs_config() -> dict[str, Any]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config: dict[str, Any] = yaml.load(text, Loader=_ConfigLoader)
    return config


def nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_pages(value)]
    return []


def test_the_readme_is_a_front_door_of_at_most_250_lines() -> None:
    assert len(README.splitlines()) <= 250


def test_the_readme_shows_the_two_commands() -> None:
    commands = re.search(r"\n## The two commands\n\n```sh\n(.*?)```", README, flags=re.DOTALL)
    assert commands is not None
    assert [line.split("#", 1)[0].strip() for line in commands[1].splitlines()] == ["make synth", "make test"]


def test_the_readme_links_every_page_of_the_docs() -> None:
    linked = set(re.findall(r"\]\(docs/([a-z0-9-]+\.md)(?:#[^)]*)?\)", README))
    assert linked == {page.name for page in PAGES}
    assert "](CHANGELOG.md)" in README


def test_the_site_nav_holds_the_readme_the_changelog_and_every_page() -> None:
    pages = nav_pages(mkdocs_config()["nav"])
    assert sorted(pages) == sorted(["index.md", "changelog.md", *(page.name for page in PAGES)])
    assert pages[0] == "index.md"


def test_the_site_fails_on_broken_links_and_anchors() -> None:
    config = mkdocs_config()
    assert config["strict"] is True
    assert config["validation"]["links"] == {
        "not_found": "warn",
        "anchors": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
    }
    assert config["validation"]["nav"]["omitted_files"] == "warn"


def sh_blocks() -> list[tuple[str, int, str]]:
    """(file, number, text) of every ```sh block of the README and the pages (indented ones too)."""
    found = []
    for path in [ROOT / "README.md", *PAGES]:
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(
            r"^(?P<indent>[ ]*)```(?:sh|bash)\n(?P<body>.*?)^(?P=indent)```$", re.MULTILINE | re.DOTALL
        )
        for number, match in enumerate(pattern.finditer(text)):
            body = "".join(line.removeprefix(match["indent"]) for line in match["body"].splitlines(keepends=True))
            found.append((str(path.relative_to(ROOT)), number, body))
    return found


@pytest.mark.parametrize(("where", "number", "block"), sh_blocks(), ids=lambda value: str(value)[:40])
def test_every_shell_block_is_clean_under_shellcheck(where: str, number: int, block: str, tmp_path: Path) -> None:
    script = tmp_path / "block.sh"
    script.write_text("#!/bin/bash\n" + block, encoding="utf-8")
    # SC1091: `source .venv/bin/activate` names a file that exists only in a set-up clone.
    result = subprocess.run(
        [require_tool("shellcheck"), "--exclude=SC1091", str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"{where}, ```sh block {number}:\n{result.stdout}"


def build_site(source: Path, site: Path) -> subprocess.CompletedProcess[str]:
    skip_unless(MKDOCS.is_file(), "mkdocs is not installed in .tools/docs (make docs installs it)")
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(site)],
        cwd=source,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def copy_of_the_site_sources(folder: Path) -> Path:
    for name in SITE_FILES:
        source, target = ROOT / name, folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    return folder


def test_the_site_builds_with_the_readme_as_its_home_page(tmp_path: Path) -> None:
    result = build_site(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Log in to every Kubernetes cluster with your company's identity provider." in home
    assert 'href="configuration/"' in home
    assert 'href="changelog/"' in home
    assert "docs/configuration.md" not in home
    changelog = (tmp_path / "site" / "changelog" / "index.html").read_text(encoding="utf-8")
    assert "What changed for the people who use k8s-oidc" in changelog
    upgrading = (tmp_path / "site" / "upgrading" / "index.html").read_text(encoding="utf-8")
    assert 'href="../changelog/"' in upgrading


@pytest.mark.parametrize(
    ("page", "link", "complaint"),
    [
        ("docs/deploy.md", "[x](cli.md#no-such-section)", "does not contain an anchor '#no-such-section'"),
        ("README.md", "[x](docs/no-such-page.md)", "'no-such-page.md', but the target is not found"),
        ("docs/deploy.md", "[x](../oidc.yaml)", "'../oidc.yaml', but the target is not found"),
    ],
    ids=["anchor", "page", "outside docs"],
)
def test_a_broken_link_fails_the_build(tmp_path: Path, page: str, link: str, complaint: str) -> None:
    source = copy_of_the_site_sources(tmp_path / "source")
    with (source / page).open("a", encoding="utf-8") as text:
        text.write(f"\nSee {link}.\n")
    result = build_site(source, tmp_path / "site")
    assert result.returncode == 1
    assert complaint in result.stderr
    assert result.stderr.count("WARNING") == 1, result.stderr


def test_a_page_of_docs_cannot_replace_the_readme_as_home_page(tmp_path: Path) -> None:
    source = copy_of_the_site_sources(tmp_path / "source")
    (source / "docs" / "index.md").write_text("# Another home\n", encoding="utf-8")
    result = build_site(source, tmp_path / "site")
    assert result.returncode == 1
    assert "docs/index.md would hide README.md, which the site shows as index.md: remove it" in result.stderr
