"""The Node preload that makes a provider's JS index load submodules on first use: same exports,
far fewer modules loaded. (That synth output is unchanged, every snapshot test shows.)"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from tool_support import require_tool

from constructs_lib.runtime import LAZY_PROVIDER_INDEX, _with_node_options

# The jsii tarballs the Python packages carry: the okta and tfe providers (small, same index shape as
# aws) and what their modules require.
JS_PACKAGES = {
    "@cdktf/provider-okta": ("cdktf_cdktf_provider_okta", "provider-okta@*.jsii.tgz"),
    "@cdktf/provider-tfe": ("cdktf_cdktf_provider_tfe", "provider-tfe@*.jsii.tgz"),
    "cdktf": ("cdktf", "cdktf@*.jsii.tgz"),
    "constructs": ("constructs", "constructs@*.jsii.tgz"),
}
PROBE = """
const index = require(process.argv[1]);
const before = Object.keys(require.cache).length;
const names = Object.keys(index).sort();
const members = Object.keys(index[process.argv[2]]).sort();
console.log(JSON.stringify({ before, names, members, after: Object.keys(require.cache).length }));
"""


@pytest.fixture(scope="module")
def node_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node_modules = tmp_path_factory.mktemp("js") / "node_modules"
    for name, (python_package, pattern) in JS_PACKAGES.items():
        spec = importlib.util.find_spec(python_package)  # finds it without importing (no jsii start)
        assert spec is not None and spec.submodule_search_locations, python_package
        (tarball,) = Path(spec.submodule_search_locations[0]).glob(f"_jsii/{pattern}")
        unpacked = node_modules / "unpacked"
        with tarfile.open(tarball) as archive:
            archive.extractall(unpacked, filter="data")
        (node_modules / name).parent.mkdir(parents=True, exist_ok=True)
        (unpacked / "package").rename(node_modules / name)
        unpacked.rmdir()
    return node_modules


def probe(package: Path, submodule: str, *node_options: str) -> dict[str, object]:
    node = require_tool("node")
    result = subprocess.run(
        [node, *node_options, "-e", PROBE, str(package / "lib" / "index.js"), submodule],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        # Not the test process's NODE_OPTIONS: prepare_jsii_runtime put the preload there.
        env={key: value for key, value in os.environ.items() if key != "NODE_OPTIONS"},
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("package", "submodule", "member"),
    [("provider-okta", "appOauth", "AppOauth"), ("provider-tfe", "workspace", "Workspace")],
)
def test_exports_are_the_same_but_loaded_on_first_use(
    node_modules: Path, package: str, submodule: str, member: str
) -> None:
    eager = probe(node_modules / "@cdktf" / package, submodule)
    lazy = probe(node_modules / "@cdktf" / package, submodule, f"--require={LAZY_PROVIDER_INDEX}")
    assert lazy["names"] == eager["names"]
    assert lazy["members"] == eager["members"]
    assert member in lazy["members"]  # type: ignore[operator]
    assert lazy["before"] < 10 < eager["before"]  # type: ignore[operator]


def test_node_options_are_added_once_and_keep_the_users() -> None:
    once = _with_node_options("--max-old-space-size=4096")
    assert once.startswith("--max-old-space-size=4096 ")
    assert _with_node_options(once) == once
    assert once.count("--require=") == 1 and "--no-deprecation" in once
