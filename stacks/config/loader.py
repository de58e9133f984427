"""From a file to a `Config`: read, parse YAML, validate each entry, then the rules across entries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from stacks.config.access import AccessRule
from stacks.config.backend import LocalBackend
from stacks.config.checks import (
    Declared,
    check_identity_providers_per_kind,
    check_references,
    check_stack_names,
    check_unique_issuers,
    check_workforce,
    warn_certificate_authority_extras,
    warn_deprecations,
)
from stacks.config.clusters import ClusterConfig
from stacks.config.config_file import ConfigFile, Defaults
from stacks.config.identity_providers import IdentityProviderConfig
from stacks.config.literal_values import template_sequence_problems
from stacks.config.messages import describe, did_you_mean, validate, validate_entries
from stacks.config.props import check_props, check_trust_props
from stacks.config.validated import Config
from stacks.config.workforce_pool import WorkforcePool
from stacks.config.yaml_source import MAX_VALUES, expands_beyond, load_yaml
from stacks.errors import Problem, UserError
from stacks.input_files import InputFileError, MissingInputFile, read_input_file


def load_config(path: Path) -> Config:
    """Read and validate `path`; raise `UserError` naming every problem."""
    source = str(path)
    try:
        text = read_input_file(path).decode("utf-8")
    except MissingInputFile:
        raise UserError(source, [Problem("", "no such file (pass --config PATH or set K8S_OIDC_CONFIG)")]) from None
    except InputFileError as error:
        raise UserError(source, [Problem("", str(error))]) from None
    except UnicodeDecodeError as error:
        raise UserError(source, [Problem("", f"cannot read the file: {error}")]) from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """Validate `text` (the contents of `path`); raise `UserError` naming every problem in the file."""
    source = str(path)
    raw = load_yaml(text, source)
    if expands_beyond(raw, MAX_VALUES):
        raise UserError(
            source,
            [Problem("", f"the document expands to more than {MAX_VALUES:,} values (YAML aliases repeating aliases?)")],
        )
    if not isinstance(raw, dict):
        raise UserError(source, [Problem("", f"must be a YAML mapping with `version: 1`, got {describe(raw)}")])

    problems = template_sequence_problems(raw)
    sections = _validate_sections(raw, problems)
    # Entries that failed, without their refused keys: their other values' rules are checked too.
    partial_idps: dict[str, Any] = {}
    partial_clusters: dict[str, Any] = {}
    # Relative file names in the config (a certificate_authority_file) start from its folder.
    context = {"config_dir": path.parent}
    idps = validate_entries(
        sections["identity_providers"],
        "identity_providers",
        IdentityProviderConfig,
        problems,
        context,
        partial=partial_idps,
    )
    clusters = validate_entries(
        sections["clusters"], "clusters", ClusterConfig, problems, context, partial=partial_clusters
    )
    access = [
        rule
        for index, item in enumerate(sections["access"])
        if (rule := validate(AccessRule, item, ("access", index), problems)) is not None
    ]
    defaults: Defaults = sections["defaults"] or Defaults()
    pool: WorkforcePool | None = sections["google_workforce_pool"]
    warnings: list[Problem] = []
    declared = Declared(identity_providers=set(sections["identity_providers"]), clusters=set(sections["clusters"]))
    check_references(declared, idps, clusters, access, problems, warnings)
    check_workforce(pool, idps, clusters, problems, warnings)
    check_unique_issuers(idps, clusters, problems)
    check_identity_providers_per_kind(idps, clusters, problems)
    check_props({**partial_idps, **idps}, {**partial_clusters, **clusters}, pool, defaults.redirect_ports, problems)
    check_trust_props(idps, clusters, defaults.redirect_ports, problems)
    warn_deprecations(clusters, warnings)
    warn_certificate_authority_extras(clusters, warnings)
    if problems:
        # Once each: an IdP's props are built for kubelogin's client and a workforce pool's web client alike.
        raise UserError(source, list(dict.fromkeys(problems)))
    config = Config(path, sections["backend"], defaults, idps, clusters, access, pool, warnings)
    check_stack_names(config, problems)
    if problems:
        raise UserError(source, problems)
    return config


def _validate_sections(raw: dict[Any, Any], problems: list[Problem]) -> dict[str, Any]:
    """Each top-level key on its own: a bad `version` or `backend` hides nothing about the entries.
    A section that is missing takes its default; one that is bad reads as empty (its problems are kept)."""
    fields = ConfigFile.model_fields
    for key in raw:
        if key not in fields:
            problems.append(
                Problem(
                    str(key),
                    f"unknown top-level key{did_you_mean(str(key), fields)}; the top-level keys are "
                    f"{', '.join(fields)}",
                )
            )
    sections: dict[str, Any] = {}
    for name, info in fields.items():
        if name not in raw:
            if info.is_required():
                problems.append(Problem(name, "required key is missing"))
            sections[name] = None if info.is_required() else info.get_default(call_default_factory=True)
            continue
        sections[name] = validate(Annotated[info.annotation, info], raw[name], (name,), problems)
    for section in ("identity_providers", "clusters"):
        sections[section] = sections[section] or {}
    sections["access"] = sections["access"] or []
    sections["backend"] = sections["backend"] or LocalBackend()
    return sections
