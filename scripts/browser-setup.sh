#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium for the browser test (browser/test). Idempotent: apt runs
# only when the binary is missing. playwright-core drives this binary; no browser is ever downloaded
# from anywhere else (the network only reaches the package registries).
set -euo pipefail

CHROMIUM="${ANNKIT_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  echo "browser-setup: $("$CHROMIUM" --version 2>/dev/null || echo chromium) already at $CHROMIUM"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "browser-setup: $CHROMIUM is missing and this user cannot run apt-get; install Debian's 'chromium' package." >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "browser-setup: installing Debian's chromium"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$CHROMIUM" --version
