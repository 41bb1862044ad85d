#!/usr/bin/env bash
# Installs what building and testing flowspec needs: the C libraries (Debian packages) and
# the Python packages the tests use. Quick when everything is already there.
set -euo pipefail
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1  # no root warning, no pip version nag

# graphviz: the tests check that `flowspec show --format dot` is valid Graphviz.
# chromium: Tests/BrowserTests drive `flowspec ui` and `flowspec report` in it, headless.
apt_packages=(libyaml-dev python3-dev libsqlite3-dev pkg-config graphviz chromium)
if ! pkg-config --exists yaml-0.1 python3-embed sqlite3 2>/dev/null || ! command -v dot >/dev/null || ! command -v chromium >/dev/null; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "==> installing ${apt_packages[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${apt_packages[@]}"
fi

# ruff: scripts/lint.sh lints the Python with it. nbclient, ipykernel: a test runs a notebook in a real kernel.
python_packages=(pytest jsonschema pyyaml ruff nbclient ipykernel)
if ! python3 -c "import pytest, jsonschema, yaml, nbclient, ipykernel" 2>/dev/null || ! python3 -m ruff --version >/dev/null 2>&1; then
    echo "==> installing ${python_packages[*]} for $(command -v python3)"
    python3 -m pip install -q "${python_packages[@]}"
fi

# uv: flowspec builds `python.requirements` environments with it when it is there, in seconds
# where pip takes half a minute (scikit-learn); `python3 -m pip` puts it on PATH or beside
# python3, where flowspec looks for it.
if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "==> installing uv for $(command -v python3)"
    python3 -m pip install -q uv
fi
