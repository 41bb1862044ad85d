#!/usr/bin/env bash
# Puts the flowspec binary BIN on PATH: a symlink `flowspec` in the first of ~/.local/bin and
# /usr/local/bin that is on PATH and writable, never over a file that is not a symlink. When
# neither will do, prints the commands that would.
set -euo pipefail
bin="$1"
for dir in "$HOME/.local/bin" /usr/local/bin; do
    case ":$PATH:" in *":$dir:"*) ;; *) continue ;; esac
    mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || continue
    if [ -e "$dir/flowspec" ] && [ ! -L "$dir/flowspec" ]; then
        echo "==> $dir/flowspec is not a symlink; leaving it alone"
        continue
    fi
    ln -sfn "$bin" "$dir/flowspec"
    echo "==> flowspec is on your PATH: $dir/flowspec -> $bin"
    found="$(command -v flowspec || true)"
    [ "$found" = "$dir/flowspec" ] || echo "    but $found comes first on PATH"
    exit 0
done
echo "==> flowspec is built at $bin; to put it on your PATH:"
echo "    mkdir -p ~/.local/bin && ln -s \"$bin\" ~/.local/bin/flowspec && export PATH=\"\$HOME/.local/bin:\$PATH\""
