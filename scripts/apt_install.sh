# Sourced by the install_*.sh scripts: `apt_install WHO PACKAGE…` installs Debian packages as
# root, or with passwordless sudo; without either (or without apt-get) it says why on stderr
# and exits 1, so the tests that need the packages skip with their own reason.
apt_install() {
  local who=$1
  shift
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get here; install $* by hand" >&2
    exit 1
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "$who: not root and no passwordless sudo; cannot apt-get install $*" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
