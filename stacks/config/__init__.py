"""The `oidc.yaml` model (DESIGN.md contract 3): parsing and validation, no cdktf.

`load_config(path)` returns a `Config` or raises `UserError` listing every problem with its key path.

The package, by concern:
- `value_types`: the annotated value types the models share (names, URLs, CIDRs, …);
- `models`: the pydantic models of each section (backend, defaults, IdPs, clusters, access, pool);
- `yaml_source`: YAML text → Python values (safe, duplicate keys refused, alias bombs refused);
- `messages`: pydantic's errors → `Problem`s at config key paths, in words a platform engineer acts on;
- `checks`: rules across entries (references, workforce, stack names);
- `plan`: the validated `Config` and the stacks it makes;
- `loader`: the pipeline from a file to a `Config`.
"""

from stacks.config.cluster_kinds import CLUSTER_KINDS, ClusterKind, ClusterKindFacts, SignIn
from stacks.config.loader import load_config, parse_config
from stacks.config.models import (
    DEFAULT_CLOUD_HOSTNAME,
    AccessRule,
    CloudBackend,
    ClusterConfig,
    EksClusterConfig,
    EntraIdIdp,
    GkeAuth,
    GkeClusterConfig,
    GoogleWorkspaceIdp,
    IdentityProviderConfig,
    JumpCloudIdp,
    KubernetesClusterConfig,
    LocalBackend,
    OktaIdp,
    WorkforcePool,
)
from stacks.config.plan import (
    TERRAFORM_CLOUD_STACK,
    WORKFORCE_CALLBACK,
    WORKFORCE_POOL_STACK,
    Config,
    StackKind,
    StackSpec,
    local_state_file,
)

__all__ = [
    "CLUSTER_KINDS",
    "DEFAULT_CLOUD_HOSTNAME",
    "TERRAFORM_CLOUD_STACK",
    "WORKFORCE_CALLBACK",
    "WORKFORCE_POOL_STACK",
    "AccessRule",
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
    "OktaIdp",
    "SignIn",
    "StackKind",
    "StackSpec",
    "WorkforcePool",
    "load_config",
    "local_state_file",
    "parse_config",
]
