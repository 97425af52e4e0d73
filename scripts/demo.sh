#!/usr/bin/env bash
# Quick start, step 1: set up and run kequn's main job on built-in demo data with the
# embedded default engine (DuckDB). Pass options through, e.g. `--customers 100000`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh ""
exec .venv/bin/kequn demo "$@"
