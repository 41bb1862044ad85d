#!/usr/bin/env bash
# The whole test suite: the linters, Swift unit, integration and end-to-end tests, then the
# Python tests, the browser tests among them (Tests/BrowserTests: `flowspec ui` and a headless
# Chromium, each started and stopped by the tests themselves; screenshots in
# .build/browser-screenshots). The Slurm tests run against a real single-node cluster started
# here and stopped when this script ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/slurm/install.sh
scripts/lint.sh
swift build --build-tests
eval "$(scripts/slurm/start.sh)"
trap 'scripts/slurm/stop.sh "$FLOWSPEC_SLURM_DIR"' EXIT
swift test --skip-build
python3 -m pytest -q Tests/SchemaTests python/tests Tests/BrowserTests
