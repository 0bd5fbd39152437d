#!/usr/bin/env bash
# tests/contract/run.sh <tessera binary> — docs/openapi.yaml against the real
# admin API (ctest: contract_tests). Starts `tessera serve` on free ports
# against a fresh database on TESSERA_TEST_DATABASE_URL's server, with a
# superadmin key from `tessera admin-key create`, then runs contract.mjs:
# every operation of the document at least once, its errors too, and every
# request and answer validated against the document. Any drift fails the
# test, and so does a server that does not exit 0 on SIGTERM or
# (sanitized) prints a sanitizer report; nothing is ever skipped.
#
# TESSERA_CONTRACT_OPENAPI=<file> checks another copy of the document (to
# see the test catch a change to it).
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)

log() { printf 'contract: %s\n' "$*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

[ $# -eq 1 ] || fail "usage: $0 <path to the tessera binary>"
tessera=$1
[ -x "$tessera" ] || fail "$tessera is not an executable"
[ -n "${TESSERA_TEST_DATABASE_URL:-}" ] ||
  fail "TESSERA_TEST_DATABASE_URL is not set: run the suites with scripts/test"
for tool in curl psql node; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (scripts/test installs what it needs)"
done
for package in ajv ajv-formats yaml; do
  [ -d "$here/node_modules/$package" ] ||
    fail "tests/contract/node_modules is missing: run 'npm ci' in tests/contract (scripts/test does)"
done

# --- A database and a server of our own ----------------------------------------

# shellcheck source=tests/support/tessera_server.sh
. "$here/../support/tessera_server.sh"
start_tessera "$tessera" contract

# --- The scenario, checked against the document -----------------------------------

TESSERA_CONTRACT_ADMIN_URL="$admin_url" TESSERA_CONTRACT_PUBLIC_URL="$public_url" \
  TESSERA_CONTRACT_ADMIN_KEY="$admin_key" node "$here/contract.mjs" ||
  fail "the admin API and docs/openapi.yaml disagree (above)"

# The server must stop cleanly, and a sanitized one without a report (a
# leak shows only now, at exit).
finish_tessera

log "the admin API matches docs/openapi.yaml"
