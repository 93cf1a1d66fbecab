#!/usr/bin/env bash
# Browser tests drive Debian's Chromium with Playwright (a test tool's own browser download does
# not work on our machines). Install it when missing and we are root; otherwise say what to do.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium." >&2
echo "Install it with:  sudo apt-get install chromium   (Debian/Ubuntu), then run make test again." >&2
exit 1
