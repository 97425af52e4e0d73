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
