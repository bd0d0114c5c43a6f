# Shared helpers for hack/*.sh (source it; needs bash).

# Run as root directly, otherwise through sudo.
if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

section() {
  printf '\n==== %s ====\n' "$*"
}

info() {
  printf '  %s\n' "$*"
}

die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# apt_missing PKG... -> prints the packages that are not installed
apt_missing() {
  local p
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      echo "$p"
    fi
  done
}

_APT_UPDATED=0
apt_update_once() {
  if [ "$_APT_UPDATED" -eq 0 ]; then
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    _APT_UPDATED=1
  fi
}

# ensure_apt PKG... : installs the missing ones (apt-get update once first).
# Sets APT_INSTALLED to the list it installed.
APT_INSTALLED=()
ensure_apt() {
  local missing
  mapfile -t missing < <(apt_missing "$@")
  if [ "${#missing[@]}" -eq 0 ]; then
    info "apt: already installed: $*"
    return 0
  fi
  command -v apt-get >/dev/null || die "apt-get not found; install by hand: ${missing[*]}"
  info "apt: installing ${missing[*]}"
  apt_update_once
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  APT_INSTALLED+=("${missing[@]}")
}

# pip_install SPEC... : python3 -m pip install, coping with PEP 668 ("externally managed") Pythons.
pip_install() {
  if ! python3 -m pip --version >/dev/null 2>&1; then
    ensure_apt python3-pip
  fi
  local log
  log="$(mktemp)"
  if python3 -m pip install -q "$@" 2>"$log"; then
    rm -f "$log"
    return 0
  fi
  if grep -q externally-managed "$log"; then
    rm -f "$log"
    python3 -m pip install -q --break-system-packages "$@"
    return
  fi
  cat "$log" >&2
  rm -f "$log"
  return 1
}

# The Debian etcd-server package may start a system etcd on 2379/2380 when installed.
# Tests never use those ports, but stop a service that our own install just started.
stop_system_etcd_if_we_installed_it() {
  local p installed_now=0
  for p in "${APT_INSTALLED[@]}"; do
    [ "$p" = etcd-server ] && installed_now=1
  done
  if [ "$installed_now" -eq 1 ]; then
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
      "${SUDO[@]}" systemctl stop etcd 2>/dev/null || true
      "${SUDO[@]}" systemctl disable etcd 2>/dev/null || true
    elif [ -x /etc/init.d/etcd ]; then
      "${SUDO[@]}" /etc/init.d/etcd stop >/dev/null 2>&1 || true
    fi
    info "stopped the system etcd service that the etcd-server package may have started"
  fi
  if command -v ss >/dev/null && ss -ltn 2>/dev/null | grep -qE '127\.0\.0\.1:2379|\*:2379|:::2379'; then
    info "note: something listens on :2379; the tests use their own free ports, so it is left alone"
  fi
}
