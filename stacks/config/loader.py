"""From a file to a `Config`: read, parse YAML, validate each entry, then the rules across entries."""

from __future__ import annotations

from pathlib import Path

from stacks.config.checks import (
    check_references,
    check_stack_names,
    check_unique_issuers,
    check_workforce,
    warn_identity_service,
)
from stacks.config.messages import kind_of, validate, validate_entries
from stacks.config.models import AccessRule, ClusterConfig, ConfigFile, IdentityProviderConfig
from stacks.config.plan import Config
from stacks.config.yaml_source import MAX_VALUES, expands_beyond, load_yaml
from stacks.errors import Problem, UserError


def load_config(path: Path) -> Config:
    """Read and validate `path`; raise `UserError` naming every problem."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(source, [Problem("", "no such file (pass --config PATH or set K8S_OIDC_CONFIG)")]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(source, [Problem("", f"cannot read the file: {error}")]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    source = str(path)
    raw = load_yaml(text, source)
    if expands_beyond(raw, MAX_VALUES):
        raise UserError(
            source,
            [Problem("", f"the document expands to more than {MAX_VALUES:,} values (YAML aliases repeating aliases?)")],
        )
    if not isinstance(raw, dict):
        raise UserError(source, [Problem("", f"must be a YAML mapping with `version: 1`, got {kind_of(raw)}")])

    problems: list[Problem] = []
    top = validate(ConfigFile, raw, (), problems)
    if top is None:
        # Without valid top-level sections there is nothing reliable to check entry by entry.
        raise UserError(source, problems)

    idps = validate_entries(top.identity_providers, "identity_providers", IdentityProviderConfig, problems)
    # Relative file names in the config (a cluster's certificate_authority_file) start from its folder.
    clusters = validate_entries(top.clusters, "clusters", ClusterConfig, problems, {"config_dir": path.parent})
    access = [
        rule
        for index, item in enumerate(top.access)
        if (rule := validate(AccessRule, item, ("access", index), problems)) is not None
    ]
    warnings: list[Problem] = []
    check_references(top, idps, clusters, access, problems, warnings)
    check_workforce(top, idps, clusters, problems, warnings)
    check_unique_issuers(idps, clusters, problems)
    warn_identity_service(clusters, warnings)
    if problems:
        raise UserError(source, problems)
    config = Config(path, top.backend, top.defaults, idps, clusters, access, top.google_workforce_pool, warnings)
    check_stack_names(config, problems)
    if problems:
        raise UserError(source, problems)
    return config
