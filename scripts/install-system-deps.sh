#!/usr/bin/env bash
# Installs the Debian (12, bookworm) packages this project needs, only those missing, by group:
#   worker   the toolchain and libraries to build mediasoup's C++ worker from source (used by
#            scripts/ensure-mediasoup-worker.mjs; see its header for why). The test server's media
#            needs it: `npm start` installs this group only.
#   browser  chromium, for the browser tests, and nftables, for the network-outage test's silent
#            packet drop (test/support/netns.ts) (`npm test` installs both groups).
# No group given: both. Quick (no apt-get update) when everything is already installed.
# --optional: when the packages cannot be installed (no root, no apt-get, apt-get failed), say what
# is missing and exit 0 anyway (`npm start` then runs the test server with media off).
# Usage: sudo bash scripts/install-system-deps.sh [--optional] [worker] [browser]
set -euo pipefail

WORKER_PACKAGES=(
  g++
  make
  pkg-config
  meson
  ninja-build
  libssl-dev
  libuv1-dev
  libsrtp2-dev
  libabsl-dev
  libusrsctp-dev
  nlohmann-json3-dev
)
BROWSER_PACKAGES=(
  chromium
  nftables
)

optional=0
groups=()
for arg in "$@"; do
  case "$arg" in
    --optional) optional=1 ;;
    worker | browser) groups+=("$arg") ;;
    *)
      echo "install-system-deps: unknown argument '$arg' (groups: worker, browser; option: --optional)" >&2
      exit 2
      ;;
  esac
done
[[ ${#groups[@]} -eq 0 ]] && groups=(worker browser)

PACKAGES=()
for group in "${groups[@]}"; do
  case "$group" in
    worker) PACKAGES+=("${WORKER_PACKAGES[@]}") ;;
    browser) PACKAGES+=("${BROWSER_PACKAGES[@]}") ;;
  esac
done
label="${groups[*]}"

# Cannot install: an error, or with --optional a notice and success.
give_up() {
  echo "install-system-deps ($label): $1" >&2
  if [[ $optional -eq 1 ]]; then
    echo "install-system-deps ($label): going on without them" >&2
    exit 0
  fi
  exit 1
}

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  give_up "dpkg/apt-get not found; this script supports Debian/Ubuntu only. Needed packages (Debian names): ${PACKAGES[*]}"
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  # dpkg -s succeeds for removed-but-not-purged packages too; require "install ok installed".
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  if ! dpkg -s "$pkg" >/dev/null 2>&1 || [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-deps ($label): all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo)
  elif command -v sudo >/dev/null 2>&1 && [[ $optional -eq 0 ]]; then
    SUDO=(sudo) # asks for the password
  else
    give_up "need root to install: ${missing[*]} (sudo bash scripts/install-system-deps.sh $label)"
  fi
fi

echo "install-system-deps ($label): installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update ||
  ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; then
  give_up "apt-get could not install ${missing[*]}"
fi
echo "install-system-deps ($label): done"
