"""mkdocs hooks of the docs site (`hooks:` in mkdocs.yml).

The repository's `README.md` is the site's home page and `CHANGELOG.md` its changelog page: the very
text GitHub shows, not a copy kept in `docs/`. Every page's links are written for the repository's
layout (the README links `docs/deploy.md`, a page links `../CHANGELOG.md`), so GitHub follows them as
they are; these hooks point them at the site's pages instead. A link to any other file outside `docs/`
is left as it is, and `mkdocs build --strict` fails on it: name such files in code spans.

mkdocs is imported only where a hook runs, so the link rewriting can be tested without it.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

ROOT_PAGES = {"README.md": "index.md", "CHANGELOG.md": "changelog.md"}
"""Files at the root of the repository that the site shows: {path in the repository: page of the site}."""
DOCS = "docs"
"""The folder of the site's own pages (mkdocs.yml's `docs_dir`)."""

_LINK = re.compile(r"(?P<open>\]\()(?P<target>[^)\s]+)(?P<rest>(?:\s+\"[^\"]*\")?\))")
_REFERENCE = re.compile(r"^(?P<open> {0,3}\[[^\]]+\]:\s+)(?P<target>\S+)(?P<rest>.*)$", flags=re.MULTILINE)
_FENCED = re.compile(r"^[ \t]*(?P<fence>```|~~~).*?^[ \t]*(?P=fence)[^\n]*$", flags=re.MULTILINE | re.DOTALL)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def repository_path(page: str) -> str:
    """Where the text of a page of the site (`index.md`, `deploy.md`) lives in the repository."""
    root_files = {site: repository for repository, site in ROOT_PAGES.items()}
    return root_files.get(page, f"{DOCS}/{page}")


def site_target(target: str, page: str) -> str:
    """A link target of `page`, written for the repository's layout, as the site needs it."""
    if _SCHEME.match(target) or target.startswith(("#", "/")):
        return target
    path, hash_sign, fragment = target.partition("#")
    if not path:
        return target
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(repository_path(page)), path))
    if resolved in ROOT_PAGES:
        in_site = ROOT_PAGES[resolved]
    elif resolved.startswith(f"{DOCS}/"):
        in_site = resolved.removeprefix(f"{DOCS}/")
    else:
        return target
    return posixpath.relpath(in_site, posixpath.dirname(page) or ".") + hash_sign + fragment


def rewrite_links(markdown: str, page: str) -> str:
    """`markdown` of `page` with its inline and reference links pointed at the site's pages (fenced code
    blocks left alone: a `](` there is code)."""

    def rewrite(match: re.Match[str]) -> str:
        return match["open"] + site_target(match["target"], page) + match["rest"]

    parts = []
    position = 0
    for block in _FENCED.finditer(markdown):
        prose = markdown[position : block.start()]
        parts += [_REFERENCE.sub(rewrite, _LINK.sub(rewrite, prose)), block.group(0)]
        position = block.end()
    prose = markdown[position:]
    parts.append(_REFERENCE.sub(rewrite, _LINK.sub(rewrite, prose)))
    return "".join(parts)


def on_files(files: Any, config: Any, **_: Any) -> Any:
    """Add the root files as pages; a page of `docs/` of the same name would be a second home page."""
    from mkdocs.exceptions import PluginError
    from mkdocs.structure.files import File

    root = Path(config.config_file_path).parent
    for source, page in ROOT_PAGES.items():
        if files.get_file_from_path(page) is not None:
            raise PluginError(f"{DOCS}/{page} would hide {source}, which the site shows as {page}: remove it")
        files.append(File.generated(config, page, content=(root / source).read_text(encoding="utf-8")))
    return files


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    return rewrite_links(markdown, page.file.src_uri)


def on_serve(server: Any, config: Any, **_: Any) -> Any:
    """`mkdocs serve` rebuilds when the root files change too."""
    root = Path(config.config_file_path).parent
    for source in ROOT_PAGES:
        server.watch(str(root / source))
    return server
