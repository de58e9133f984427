"""The cluster admins' files by cluster kind (render/admin/__init__.py): one table, a row for every kind,
which also words the warning of a partial render. The files themselves: test_admin_gke_identity_service.py
and test_admin_self_managed.py."""

from __future__ import annotations

from render.admin import ADMIN_FILES, AdminFiles
from stacks.config import CLUSTER_KINDS, ClusterKind, SignIn


def test_every_cluster_kind_has_a_row() -> None:
    """A new kind must say what its admins get (None: nothing), not fall through to another kind's files."""
    assert set(ADMIN_FILES) == set(ClusterKind)


def test_only_kinds_whose_cluster_checks_the_idps_tokens_get_admin_files() -> None:
    """gcloud clusters trust Google, not the IdP: there is nothing for their admins to apply."""
    for kind, admin in ADMIN_FILES.items():
        if CLUSTER_KINDS[kind].sign_in is SignIn.GCLOUD:
            assert admin is None


def files(key: str, replaces: str | None) -> AdminFiles:
    return AdminFiles(
        build=lambda config, key, pairs: {},
        main_file="trust.yaml",
        replaces=replaces,
        readme_field="admin_folder",
        readme_path=lambda key: f"admin/{key}",
    )


def test_a_partial_render_warns_that_applying_it_removes_the_others() -> None:
    assert files("prod", "its list").partial_warning("prod", ["okta"], ["okta", "entra", "jc"]) == (
        "prod: admin/prod/trust.yaml configures okta only, of the cluster's IdPs okta, entra, jc: applying it "
        "removes the others from its list; once they are deployed, render them all (--stacks 'prod-*') before "
        "applying it"
    )


def test_no_warning_when_every_idp_is_rendered_or_nothing_is_replaced() -> None:
    assert files("prod", "its list").partial_warning("prod", ["okta", "entra"], ["okta", "entra"]) is None
    assert files("prod", None).partial_warning("prod", ["okta"], ["okta", "entra"]) is None
