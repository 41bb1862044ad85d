"""hatchling's build hook for the flowspec wheel: builds the `flowspec` binary with SwiftPM from
the repository this folder is in (`python/..`) and ships it as the wheel's script, the way ruff and
uv ship theirs, so `pip install ./python` puts the `flowspec` command on the environment's PATH.

The binary is one file: the Python helpers its workers run are compiled into it, and at run time
a worker loads the libpython of the step's own interpreter (docs/spec.md, "Python environments"),
so the wheel needs nothing else. It is tagged for this platform only (`py3-none-linux_x86_64`)."""

import os
import subprocess
import sysconfig

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class SwiftBinaryHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        repository = os.path.dirname(os.path.abspath(self.root))
        if not os.path.isfile(os.path.join(repository, "Package.swift")):
            raise RuntimeError(f"the flowspec wheel is built from the repository: no Package.swift in {repository}; "
                               "run `pip install ./python` in a checkout of flowspec")
        binary = build_binary(repository, self.app.display_info)
        check_version(binary, self.metadata.version)
        build_data["shared_scripts"][binary] = "flowspec"
        build_data["pure_python"] = False
        build_data["tag"] = "py3-none-" + sysconfig.get_platform().replace("-", "_").replace(".", "_")


def build_binary(repository, say):
    """`swift build -c release --product flowspec`: quick when SwiftPM's release build is current."""
    command = ["swift", "build", "-c", "release", "--product", "flowspec"]
    say(f"building the flowspec binary: {' '.join(command)} (in {repository})")
    try:
        subprocess.run(command, cwd=repository, check=True)
        path = subprocess.run(command[:4] + ["--show-bin-path"], cwd=repository, check=True,
                              capture_output=True, text=True).stdout.strip()
    except FileNotFoundError as error:
        raise RuntimeError("building the flowspec wheel needs Swift 6 (`swift` on PATH) and the packages "
                           "scripts/install-deps.sh installs") from error
    except subprocess.CalledProcessError as error:
        raise RuntimeError(f"`{' '.join(error.cmd)}` failed in {repository} (exit {error.returncode}): "
                           "its output above says why") from error
    return os.path.join(path, "flowspec")


def check_version(binary, version):
    """The wheel's version and the binary's are one version: a mismatch is a release mistake."""
    said = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True).stdout.strip()
    if said != version:
        raise RuntimeError(f"python/pyproject.toml says version {version} but {binary} says {said}: "
                           "set both to the same version")
