#!/usr/bin/env bash
# Install every Debian package the project needs. Idempotent: packages already
# present are skipped, and nothing is done when all are installed.
#   scripts/install-deps.sh          install what is missing
#   scripts/install-deps.sh --check  exit 1 (and list them) if any are missing
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev
  libjansson-dev zlib1g-dev nettle-dev
  verilator iverilog yosys gtkwave xvfb
  libsystemc-dev
  python3-numpy python3-pytest python3-matplotlib dataset-fashion-mnist
  gnuplot-nox
  clang clang-format libclang-rt-14-dev valgrind lcov
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "${1:-}" = "--check" ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing packages: ${missing[*]}"
    exit 1
  fi
  exit 0
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PKGS[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install-deps: not root and no passwordless sudo; run as root:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 3
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
