#!/usr/bin/env bash
# Quick start, step 1: set up and run kequn's main job on built-in demo data with the
# embedded default engine (DuckDB). Pass options through, e.g. `--customers 100000`, or
# `--from ExportOrderList….csv` to build the demo from your own order export instead.
# Installs the "web" extra too, so `kequn serve` (the dashboard the demo ends by pointing
# at) works straight after.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh "web"
exec .venv/bin/kequn demo "$@"
