"""The `oidc.yaml` model (DESIGN.md contract 3): parsing and validation, no cdktf.

`load_config(path)` returns a `Config` or raises `UserError` listing every problem with its key path.

The package, by concern:
- `value_types`: the annotated value types the models share (names, URLs, CIDRs, …);
- the models, one module per section: `config_file` (the top level and `defaults`), `backend`,
  `identity_providers/` (a module per IdP type), `clusters/` (a module per cluster type), `access`,
  `workforce_pool`; `strict_model` is their base;
- `cluster_kinds`: the cluster kinds and the facts every layer shares about them;
- `options`: a created cluster's and an IdP's options take their default and description from the props;
- `props`: every construct's props the config makes, each refusal at its config key;
- `yaml_source`: YAML text → Python values (safe, duplicate keys refused, alias bombs refused);
- `messages`: pydantic's errors → `Problem`s at config key paths, in words a platform engineer acts on;
- `checks`: rules across entries (references, workforce, stack names);
- `validated`: the validated `Config` and the stacks it makes;
- `loader`: the pipeline from a file to a `Config`;
- `schema`: the JSON Schema of `oidc.yaml`, from the models.
"""

from stacks.config.access import AccessRule
from stacks.config.backend import DEFAULT_CLOUD_HOSTNAME, CloudBackend, LocalBackend
from stacks.config.cluster_kinds import CLUSTER_KINDS, ClusterKind, ClusterKindFacts, SignIn
from stacks.config.clusters import (
    AksClusterConfig,
    ClusterConfig,
    EksClusterConfig,
    GkeAuth,
    GkeClusterConfig,
    KubernetesClusterConfig,
)
from stacks.config.identity_providers import (
    Application,
    EntraIdIdp,
    GoogleWorkspaceIdp,
    IdentityProviderConfig,
    JumpCloudIdp,
    OidcIdp,
    OktaIdp,
)
from stacks.config.loader import load_config, parse_config
from stacks.config.validated import (
    TERRAFORM_CLOUD_STACK,
    WORKFORCE_CALLBACK,
    WORKFORCE_POOL_STACK,
    Config,
    StackKind,
    StackSpec,
    local_state_file,
)
from stacks.config.workforce_pool import WorkforcePool

__all__ = [
    "CLUSTER_KINDS",
    "DEFAULT_CLOUD_HOSTNAME",
    "TERRAFORM_CLOUD_STACK",
    "WORKFORCE_CALLBACK",
    "WORKFORCE_POOL_STACK",
    "AccessRule",
    "AksClusterConfig",
    "Application",
    "CloudBackend",
    "ClusterConfig",
    "ClusterKind",
    "ClusterKindFacts",
    "Config",
    "EksClusterConfig",
    "EntraIdIdp",
    "GkeAuth",
    "GkeClusterConfig",
    "GoogleWorkspaceIdp",
    "IdentityProviderConfig",
    "JumpCloudIdp",
    "KubernetesClusterConfig",
    "LocalBackend",
    "OidcIdp",
    "OktaIdp",
    "SignIn",
    "StackKind",
    "StackSpec",
    "WorkforcePool",
    "load_config",
    "local_state_file",
    "parse_config",
]
