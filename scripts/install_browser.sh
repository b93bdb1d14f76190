#!/usr/bin/env bash
# Install headless Chromium for the browser tests (tests/test_web_browser.py), if missing.
#
# The tests drive the system's Chromium (Debian package `chromium`) through Playwright for
# Python with `executable_path`, so no browser is downloaded at test time. Run as root, or
# with sudo available; prints the browser's path on success. Exit 0 when a browser is there
# (already or now), 1 when it cannot be installed (the browser tests then skip, saying why).
set -euo pipefail

find_browser() {
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  return 1
}

if path=$(find_browser); then
  echo "$path"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: no apt-get here; install Chromium by hand (or set NYHETSVAKT_CHROMIUM)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install_browser: not root and no passwordless sudo; cannot apt-get install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
find_browser || { echo "install_browser: chromium installed but not on PATH" >&2; exit 1; }
