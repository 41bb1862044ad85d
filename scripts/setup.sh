#!/usr/bin/env bash
# Installs everything flowspec needs, builds it, and checks, draws and runs an example flow.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
echo "==> installing the flowspec Python package (python/) for $(command -v python3)"
python3 -m pip install -q ./python
echo "==> building flowspec (release)"
swift build -c release
bin="$(swift build -c release --show-bin-path)/flowspec"

echo "==> $bin lint examples/movies/movies.yaml"
"$bin" lint examples/movies/movies.yaml
echo "==> $bin show examples/movies/movies.yaml"
"$bin" show examples/movies/movies.yaml
echo "==> $bin run examples/movies/movies.yaml --store .flowspec"
"$bin" run examples/movies/movies.yaml --store .flowspec
echo
echo "flowspec is built at $bin; put it on your PATH, e.g.: ln -s \"$bin\" ~/.local/bin/flowspec"
