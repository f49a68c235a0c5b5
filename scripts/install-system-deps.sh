#!/usr/bin/env bash
# Installs the Debian (12, bookworm) packages this project needs, only those missing:
#  - the toolchain and libraries to build mediasoup's C++ worker from source
#    (used by scripts/ensure-mediasoup-worker.mjs; see its header for why), and
#  - chromium, for the browser tests.
# Quick (no apt-get update) when everything is already installed.
# Usage: sudo bash scripts/install-system-deps.sh
set -euo pipefail

PACKAGES=(
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
  chromium
)

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: dpkg/apt-get not found; this script supports Debian/Ubuntu only." >&2
  echo "Needed packages (Debian names): ${PACKAGES[*]}" >&2
  exit 1
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
  echo "install-system-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  else
    echo "install-system-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
echo "install-system-deps: done"
