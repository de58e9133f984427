"""The Node preload that makes a provider's JS index load submodules on first use: same exports,
far fewer modules loaded (that synth output is unchanged, every snapshot test shows) — for the real
index of every provider package, and loudly eager for an index of another shape."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import tarfile
from pathlib import Path

import pytest
from tool_support import require_tool

from constructs_lib.provider_loading import PROVIDER_PACKAGES
from constructs_lib.runtime import LAZY_PROVIDER_INDEX, _with_node_options

# The jsii tarballs the Python packages carry: the okta provider (small, same index shape as aws)
# and what its modules require.
JS_PACKAGES = {
    "@cdktf/provider-okta": ("cdktf_cdktf_provider_okta", "provider-okta@*.jsii.tgz"),
    "cdktf": ("cdktf", "cdktf@*.jsii.tgz"),
    "constructs": ("constructs", "constructs@*.jsii.tgz"),
}
PROBE = """
const index = require(process.argv[1]);
const before = Object.keys(require.cache).length;
const names = Object.keys(index).sort();
const appOauth = Object.keys(index.appOauth).sort();
console.log(JSON.stringify({ before, names, appOauth, after: Object.keys(require.cache).length }));
"""


@pytest.fixture(scope="module")
def okta_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
    return node_modules / "@cdktf" / "provider-okta"


def run_node(script: str, *args: str, preload: bool) -> subprocess.CompletedProcess[str]:
    node = require_tool("node")
    return subprocess.run(
        [node, *([f"--require={LAZY_PROVIDER_INDEX}"] if preload else []), "-e", script, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        # Not the test process's NODE_OPTIONS: prepare_jsii_runtime put the preload there.
        env={key: value for key, value in os.environ.items() if key != "NODE_OPTIONS"},
    )


def probe(package: Path, *node_options: str) -> dict[str, object]:
    result = run_node(PROBE, str(package / "lib" / "index.js"), preload=bool(node_options))
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_exports_are_the_same_but_loaded_on_first_use(okta_package: Path) -> None:
    eager = probe(okta_package)
    lazy = probe(okta_package, "preload")
    assert lazy["names"] == eager["names"]
    assert lazy["appOauth"] == eager["appOauth"]
    assert "AppOauth" in lazy["appOauth"]  # type: ignore[operator]
    assert lazy["before"] < 10 < eager["before"]  # type: ignore[operator]


def test_node_options_are_added_once_and_keep_the_users() -> None:
    once = _with_node_options("--max-old-space-size=4096")
    assert once.startswith("--max-old-space-size=4096 ")
    assert _with_node_options(once) == once
    assert once.count("--require=") == 1 and "--no-deprecation" in once


# --- every provider's real index, its submodules stubbed ------------------------------------------

STUB_PROBE = """
globalThis.loaded = [];
const index = require(process.argv[1]);
const names = Object.keys(index).sort();
const before = globalThis.loaded.length;
const first = index[names[0]];
console.log(JSON.stringify({ names, before, first: first.stub, after: globalThis.loaded.slice() }));
"""
# Any require of one of the package's own files, however it is written (the preload looks for one
# exact shape; this finds them all).
LOCAL_REQUIRE = re.compile(r"""require\(\s*["'](\./[^"']+)["']\s*\)""")


def provider_index(package: str, folder: Path) -> Path:
    """`package`'s real lib/index.js from the jsii tarball it carries, in a node_modules folder where
    every file it requires is a stub that records that it was loaded."""
    name = package.removeprefix("cdktf_cdktf_provider_")
    spec = importlib.util.find_spec(package)  # finds it without importing (no jsii start)
    assert spec is not None and spec.submodule_search_locations, package
    (tarball,) = Path(spec.submodule_search_locations[0]).glob(f"_jsii/provider-{name}@*.jsii.tgz")
    with tarfile.open(tarball) as archive:
        member = archive.extractfile("package/lib/index.js")
        assert member is not None
        source = member.read().decode("utf-8")
    lib = folder / "node_modules" / "@cdktf" / f"provider-{name}" / "lib"
    lib.mkdir(parents=True)
    (lib / "index.js").write_text(source, encoding="utf-8")
    for target in set(LOCAL_REQUIRE.findall(source)):
        stub = {"stub": target}
        (lib / f"{target.removeprefix('./')}.js").write_text(
            f"globalThis.loaded.push({json.dumps(target)}); module.exports = {json.dumps(stub)};\n", encoding="utf-8"
        )
    return lib / "index.js"


@pytest.mark.parametrize("package", PROVIDER_PACKAGES)
def test_every_provider_index_is_made_lazy(package: str, tmp_path: Path) -> None:
    index = provider_index(package, tmp_path)
    requires = len(set(LOCAL_REQUIRE.findall(index.read_text(encoding="utf-8"))))
    assert requires > 50, "a provider index requires every submodule"
    eager = run_node(STUB_PROBE, str(index), preload=False)
    lazy = run_node(STUB_PROBE, str(index), preload=True)
    eager_result, lazy_result = json.loads(eager.stdout), json.loads(lazy.stdout)
    assert lazy_result["names"] == eager_result["names"]
    assert len(lazy_result["names"]) == requires
    assert eager_result["before"] == requires
    assert lazy_result["before"] == 0
    assert lazy_result["after"] == [lazy_result["first"]]  # the one submodule used, and only it
    assert lazy.stderr == ""


FAKE_INDEX = """\
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// a newer code generator: one helper call per submodule instead of `exports.x = require("./x");`
var __exportStar = (m, target) => { for (const k of Object.keys(m)) target[k] = m[k]; };
__exportStar(require("./vpc"), exports);
__exportStar(require("./subnet"), exports);
"""


def fake_package(folder: Path, index: str) -> Path:
    lib = folder / "node_modules" / "@cdktf" / "provider-fake" / "lib"
    lib.mkdir(parents=True)
    (lib / "index.js").write_text(index, encoding="utf-8")
    for name in ("vpc", "subnet"):
        (lib / f"{name}.js").write_text(
            f"globalThis.loaded.push({name!r}); exports.{name.title()} = {{}};\n", encoding="utf-8"
        )
    return lib / "index.js"


LOAD_PROBE = """
globalThis.loaded = [];
const index = require(process.argv[1]);
console.log(JSON.stringify({ names: Object.keys(index).sort(), loaded: globalThis.loaded }));
"""


def test_an_index_of_another_shape_loads_eagerly_and_says_so(tmp_path: Path) -> None:
    index = fake_package(tmp_path, FAKE_INDEX)
    result = run_node(LOAD_PROBE, str(index), preload=True)
    assert json.loads(result.stdout) == {"names": ["Subnet", "Vpc"], "loaded": ["vpc", "subnet"]}
    assert result.stderr == (
        "warning: @cdktf/provider-fake: lib/index.js no longer has the shape that "
        'constructs_lib/lazy_provider_index.js makes lazy (one `exports.<name> = require("./<module>");` '
        "line per submodule), so all of its submodules load up front: seconds and hundreds of MB more per "
        "synth. Update the preload to the new shape.\n"
    )


def test_an_index_partly_of_another_shape_names_what_still_loads_eagerly(tmp_path: Path) -> None:
    index = fake_package(tmp_path, 'exports.vpc = require("./vpc");\nexports.subnet = require ("./subnet");\n')
    result = run_node(LOAD_PROBE, str(index), preload=True)
    assert json.loads(result.stdout)["loaded"] == ["subnet"]
    assert "@cdktf/provider-fake: lib/index.js no longer has the shape" in result.stderr
    assert "so 1 of its submodules load up front" in result.stderr


def test_other_packages_are_left_alone(tmp_path: Path) -> None:
    lib = tmp_path / "node_modules" / "left-pad" / "lib"
    lib.mkdir(parents=True)
    (lib / "index.js").write_text('exports.pad = require("./pad");\n', encoding="utf-8")
    (lib / "pad.js").write_text("globalThis.loaded.push('pad'); exports.Pad = 1;\n", encoding="utf-8")
    result = run_node(LOAD_PROBE, str(lib / "index.js"), preload=True)
    assert json.loads(result.stdout)["loaded"] == ["pad"]
    assert result.stderr == ""
