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

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_postgres: no apt-get here; install PostgreSQL by hand (or set NYHETSVAKT_TEST_POSTGRES)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install_postgres: not root and no passwordless sudo; cannot apt-get install postgresql" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
find_initdb || { echo "install_postgres: postgresql installed but no initdb found" >&2; exit 1; }
