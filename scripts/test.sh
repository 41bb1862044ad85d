#!/usr/bin/env bash
# The whole test suite: the linters, Swift unit, integration and end-to-end tests, then the
# Python tests.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/lint.sh
swift build --build-tests
swift test --skip-build
python3 -m pytest -q Tests/SchemaTests python/tests
