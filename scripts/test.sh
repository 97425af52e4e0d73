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
# certificates for the database servers' TLS (tests/sources/test_mysql_tls.py)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
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
if [ $# -gt 0 ]; then
  exec .venv/bin/pytest "$@"
fi
# The whole suite runs as two pytest processes at once, each with its own Spark session and
# servers: run as one, it kept one of this machine's two cores mostly idle (load 1.1-1.7)
# while it waited on the JVM, the database servers and the browser, and took 41 to 67
# minutes depending on the day. The halves are split by measured time (~31 and ~36 min
# run alone); the second's output follows the first's, and either failing fails the run.
first="tests/automation tests/cli tests/core tests/demo tests/engines tests/features tests/taxonomy
  tests/i18n tests/identity tests/models"
second="tests/ingest tests/pipeline tests/privacy tests/security tests/snapshots tests/sources
  tests/store tests/web"
for dir in tests/*/; do  # a new folder of tests must be given a half, not left out
  case " $(echo $first $second) " in
    *" ${dir%/} "*) ;;
    *) if find "$dir" -name 'test_*.py' | grep -q .; then echo "${dir%/} is in neither half of scripts/test.sh"; exit 1; fi ;;
  esac
done
second_log=$(mktemp)
trap 'rm -f "$second_log"' EXIT
# shellcheck disable=SC2086 # the lists are kequn's own folder names
.venv/bin/pytest -p no:cacheprovider $second tests/test_*.py > "$second_log" 2>&1 &
second_pid=$!
status=0
# shellcheck disable=SC2086
.venv/bin/pytest $first || status=$?
wait "$second_pid" || status=$?
echo
echo "== the second half: $(echo $second) tests/test_*.py"
cat "$second_log"
exit "$status"
