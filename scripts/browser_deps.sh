#!/usr/bin/env bash
# What the browser tests (tests/browser) need outside .venv: Debian's chromium, driven by
# Playwright through executable_path (never a browser that Playwright downloads itself).
# Installs it with apt-get when it is missing and we are root; otherwise says what to install.
# Without it the browser tests skip (REQUIRE_SERVICES=1: they fail).
set -euo pipefail
browser=/usr/bin/chromium
if [[ -x $browser ]]; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "browser tests: installing Debian's chromium (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
else
  echo "browser tests: $browser is missing; install Debian's chromium" \
    "(sudo apt-get install chromium), or the browser tests skip" >&2
fi
