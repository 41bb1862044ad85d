#!/usr/bin/env bash
# Installs everything flowspec needs, builds it, puts `flowspec` on PATH, and checks, draws and
# runs an example flow.
set -euo pipefail
cd "$(dirname "$0")/.."
# pip's warning about running as root is noise in a container or CI, and so is its nag about a newer pip.
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

scripts/install-deps.sh
echo "==> installing the flowspec Python package (python/) for $(command -v python3)"
python3 -m pip install -q ./python
echo "==> building flowspec (release)"
# Linking the static Foundation makes GNU ld warn that Foundation's own code calls mktemp: it
# says nothing about flowspec's code or what a user can change. Every other line is shown.
swift build -c release 2>&1 | { grep -v "warning: the use of \`mktemp' is dangerous" || true; }
bin="$(swift build -c release --show-bin-path)/flowspec"

echo "==> $bin lint examples/movies/movies.yaml"
"$bin" lint examples/movies/movies.yaml
echo "==> $bin show examples/movies/movies.yaml"
"$bin" show examples/movies/movies.yaml
echo "==> $bin run examples/movies/movies.yaml --store .flowspec"
"$bin" run examples/movies/movies.yaml --store .flowspec
echo
scripts/link-on-path.sh "$bin"
