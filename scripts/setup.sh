#!/usr/bin/env bash
# Create .venv and install kequn with the extras named in $1 (e.g. "spark,web,test,dev").
# Idempotent: a second run only installs what changed. Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
fi
spec="."
[ -n "$extras" ] && spec=".[${extras}]"
.venv/bin/pip install --quiet --disable-pip-version-check -e "$spec"
# An editable install compiles nothing: Python compiles each module as a command imports
# it and keeps the bytecode only where it may write it (not under PYTHONDONTWRITEBYTECODE,
# as on the benchmark machine), so every kequn command compiled its ~130-180 modules
# again (0.2-0.3 CPU-s). A regular `pip install` compiles them once; so does this
# (skipping what is up to date; an edited module is compiled again in memory, as before).
.venv/bin/python -m compileall -q src/kequn
