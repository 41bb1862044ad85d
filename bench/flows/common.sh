# Sourced by bench/flows/run.sh and bench/flows/scale.sh: the flowspec binary, and the interpreter
# its workers run.
#
# Needs ROOT, VENV and FLOWSPEC set. fs_setup sets:
#   FS        the binary's absolute path (built with `swift build -c release` when the default
#             .build/release/flowspec is missing)
#   FS_PATH   the PATH flowspec runs with: "$VENV/bin:$PATH" when the venv exists, so that the
#             `python3` its workers start is the interpreter Metaflow runs in; else PATH unchanged
#   FS_PY     that python3, resolved
#   FS_PY_NOTE  one line saying which python3 that is
# and defines median, for the scripts that time runs.

fs_setup() {
  if [ ! -x "$FLOWSPEC" ] && [ "$FLOWSPEC" = ".build/release/flowspec" ]; then
    echo "building flowspec (swift build -c release)..." >&2
    (cd "$ROOT" && swift build -c release >&2)
  fi
  [ -x "$FLOWSPEC" ] || { echo "no flowspec binary at $FLOWSPEC" >&2; exit 1; }
  FS="$(cd "$(dirname "$FLOWSPEC")" && pwd)/$(basename "$FLOWSPEC")"
  unset FLOWSPEC_STORE

  local version kind
  if [ -x "$VENV/bin/python3" ]; then
    FS_PATH="$VENV/bin:$PATH"
    FS_PY="$VENV/bin/python3"
    version="$("$FS_PY" -c 'import sys; print(sys.version.split()[0])')"
    FS_PY_NOTE="flowspec's workers run \$VENV/bin/python3 ($FS_PY, Python $version), the interpreter Metaflow runs in: flowspec runs with PATH=\"\$VENV/bin:\$PATH\""
  else
    FS_PATH="$PATH"
    FS_PY="$(command -v python3 || echo "")"
    [ -n "$FS_PY" ] || { echo "no python3 on PATH" >&2; exit 1; }
    version="$(python3 -c 'import sys; print(sys.version.split()[0])')"
    kind="a binary"
    [ "$(head -c 2 "$FS_PY")" = "#!" ] && kind="a script, e.g. a pyenv shim"
    FS_PY_NOTE="flowspec's workers run the python3 on PATH: $FS_PY ($kind; Python $version); no venv at $VENV"
  fi
}

# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
