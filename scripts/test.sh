#!/usr/bin/env bash
# Quick start, step 2: set up everything the tests need and run the whole suite:
# lint, types, unit and engine tests (DuckDB and a real local Spark), browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
# real database servers for tests/sources (started by its conftest on loopback, in a temp dir)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
{ [ -x /usr/sbin/mariadbd ] || command -v mariadbd >/dev/null 2>&1; } || need_apt+=(mariadb-server)
if [ -d tests/web/e2e ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  fc-list 2>/dev/null | grep -qi "noto sans cjk" || need_apt+=(fonts-noto-cjk)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing system packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

bash scripts/setup.sh "spark,web,test,dev,sources"
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/lint-imports
.venv/bin/pytest "$@"
