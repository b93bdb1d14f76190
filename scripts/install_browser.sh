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

source "$(dirname "$0")/apt_install.sh"
apt_install install_browser chromium fonts-dejavu-core
find_browser || { echo "install_browser: chromium installed but not on PATH" >&2; exit 1; }
