#!/usr/bin/env bash
# Installs everything flowspec needs, then flowspec itself with `pip install ./python` (the
# `flowspec` command and the Python client), makes sure `flowspec` is on PATH, and checks, draws
# and runs an example flow.
set -euo pipefail
cd "$(dirname "$0")/.."
# pip's warning about running as root is noise in a container or CI, and so is its nag about a newer pip.
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

scripts/install-deps.sh
echo "==> pip install ./python for $(command -v python3): builds flowspec with Swift (release), a few minutes the first time"
python3 -m pip install -q ./python
bin="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/flowspec"

echo "==> $bin lint examples/movies/movies.yaml"
"$bin" lint examples/movies/movies.yaml
echo "==> $bin show examples/movies/movies.yaml"
"$bin" show examples/movies/movies.yaml
echo "==> $bin run examples/movies/movies.yaml --store .flowspec"
"$bin" run examples/movies/movies.yaml --store .flowspec
echo
# pip put it in the interpreter's scripts folder: on PATH in a venv or with pyenv, not always else.
if command -v flowspec >/dev/null; then
    echo "==> flowspec is on your PATH: $(command -v flowspec)"
else
    scripts/link-on-path.sh "$bin"
fi
