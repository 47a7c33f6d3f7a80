#!/usr/bin/env bash
# What the monthly report as PDF (WeasyPrint) needs outside .venv: Debian's Pango libraries.
# Installs them with apt-get when they are missing and we are root; otherwise says what to
# install. Without them every page works except /koordination/bericht/<yyyy>/<mm>/pdf/.
# Fonts: whatever the system has (DejaVu on Debian); nothing is downloaded.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0)
have() { ldconfig -p 2>/dev/null | grep -q "$1"; }
if have libpango-1.0.so.0 && have libpangoft2-1.0.so.0; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "PDF report: installing ${packages[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "PDF report: Pango is missing; install it (sudo apt-get install ${packages[*]})," \
    "or the monthly report's PDF cannot be made" >&2
fi
