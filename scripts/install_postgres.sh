#!/usr/bin/env bash
# Install a local PostgreSQL for the tests that run on both stores, if missing.
#
# The tests (tests/pg.py) start a throw-away server from the local install's initdb and
# pg_ctl (in PATH or /usr/lib/postgresql/*/bin), listening on 127.0.0.1 only, unless
# NYHETSVAKT_TEST_POSTGRES names a server to use. Debian's package `postgresql` brings both
# (its own cluster is not needed and is left as the package sets it up). Run as root, or with
# sudo available; prints the folder of initdb on success. Exit 0 when PostgreSQL is there
# (already or now), 1 when it cannot be installed (the PostgreSQL tests then skip, saying why).
set -euo pipefail

find_initdb() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if dir=$(find_initdb); then
  echo "$dir"
  exit 0
fi

source "$(dirname "$0")/apt_install.sh"
apt_install install_postgres postgresql
find_initdb || { echo "install_postgres: postgresql installed but no initdb found" >&2; exit 1; }
