"""tools/mkdocs_hooks.py: links written for the repository's layout point at the site's pages (the site
build itself, with the hooks, is tests/docs/test_pages.py)."""

from __future__ import annotations

import pytest

from tools.mkdocs_hooks import repository_path, rewrite_links, site_target


def test_pages_live_where_the_repository_keeps_them() -> None:
    assert repository_path("index.md") == "README.md"
    assert repository_path("changelog.md") == "CHANGELOG.md"
    assert repository_path("deploy.md") == "docs/deploy.md"


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.md", "docs/deploy.md", "deploy.md"),
        ("index.md", "docs/cli.md#validate---json", "cli.md#validate---json"),
        ("index.md", "CHANGELOG.md", "changelog.md"),
        ("index.md", "docs/ci/github-actions.yml", "ci/github-actions.yml"),
        ("upgrading.md", "../CHANGELOG.md", "changelog.md"),
        ("upgrading.md", "../README.md#quick-start", "index.md#quick-start"),
        ("upgrading.md", "cli.md", "cli.md"),
        ("upgrading.md", "#steps", "#steps"),
        ("upgrading.md", "https://example.com/a.md", "https://example.com/a.md"),
        ("upgrading.md", "mailto:a@example.com", "mailto:a@example.com"),
        ("guides/deep.md", "../../CHANGELOG.md", "../changelog.md"),
        ("guides/deep.md", "../deploy.md", "../deploy.md"),
    ],
)
def test_a_link_target_points_at_the_site(page: str, target: str, expected: str) -> None:
    assert site_target(target, page) == expected


def test_a_link_outside_the_site_is_left_for_mkdocs_to_refuse() -> None:
    assert site_target("oidc.yaml", "index.md") == "oidc.yaml"
    assert site_target("../oidc.yaml", "deploy.md") == "../oidc.yaml"


def test_inline_and_reference_links_are_rewritten_and_code_blocks_are_not() -> None:
    markdown = (
        'See [deploy](docs/deploy.md "Deploy") and [the changelog][log].\n'
        "```python\nx = y[0](docs/deploy.md)\n```\n"
        "    ```sh\n    echo [a](docs/cli.md)\n    ```\n"
        "[log]: CHANGELOG.md\n"
    )
    assert rewrite_links(markdown, "index.md") == (
        'See [deploy](deploy.md "Deploy") and [the changelog][log].\n'
        "```python\nx = y[0](docs/deploy.md)\n```\n"
        "    ```sh\n    echo [a](docs/cli.md)\n    ```\n"
        "[log]: changelog.md\n"
    )
