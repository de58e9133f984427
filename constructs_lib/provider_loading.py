"""Load only the provider bindings a synth uses.

Each prebuilt provider package's `__init__` imports every one of its submodules (aws: 2,216 of them,
about 19 s and 1.6 GB). The submodules themselves only need `<package>._jsii` (which loads the jsii
assembly) and `cdktf`. So before anything imports a provider, `install()` registers each provider
package in `sys.modules` as a bare package (its `__path__` set, its `__init__` not executed). Then
`from cdktf_cdktf_provider_aws.eks_cluster import EksCluster` loads just that submodule and the aws
assembly, and a config without Okta never loads the Okta assembly at all.

Attribute access on the bare package imports the submodule on demand, so
`import cdktf_cdktf_provider_aws as aws; aws.eks_cluster.EksCluster` keeps working for library users,
and its `__all__` lists the submodules as the real `__init__`'s does, so
`from cdktf_cdktf_provider_okta import *` imports every submodule, as it would without this.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from typing import Any

PROVIDER_PACKAGES = (
    "cdktf_cdktf_provider_aws",
    "cdktf_cdktf_provider_google",
    "cdktf_cdktf_provider_okta",
    "cdktf_cdktf_provider_azuread",
    "cdktf_cdktf_provider_tfe",
)


def install() -> None:
    """Register the provider packages as bare packages; idempotent, and a no-op for any package
    that is already imported (whoever imported it paid the price already)."""
    for package in PROVIDER_PACKAGES:
        if package not in sys.modules:
            _register_bare_package(package)


def loaded_submodules(package: str) -> list[str]:
    """Names of `package`'s submodules imported so far (the performance guard's measure)."""
    prefix = f"{package}."
    return sorted(name for name in sys.modules if name.startswith(prefix) and name != f"{package}._jsii")


def _register_bare_package(package: str) -> None:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.submodule_search_locations is None:
        return  # not installed: importing a construct that needs it fails with the usual ImportError
    module = importlib.util.module_from_spec(spec)

    def load_submodule_on_access(name: str) -> Any:
        if name == "__all__":
            # Listed on first use (a star import), as the real __init__ lists them: every public
            # submodule. Listing 2,000 folders at every synth would cost time for nothing.
            names = sorted(
                found.name for found in pkgutil.iter_modules(module.__path__) if not found.name.startswith("_")
            )
            module.__all__ = names  # type: ignore[attr-defined]
            return names
        if name.startswith("__"):
            raise AttributeError(name)
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    module.__getattr__ = load_submodule_on_access  # type: ignore[method-assign]
    sys.modules[package] = module
