#!/bin/sh
# The browser tests drive Debian's chromium through Playwright (never `playwright install`).
# Install it when it is missing and we may; otherwise say what to do and fail.
set -e

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing; installing Debian's chromium package" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    exit 0
fi

cat >&2 <<MESSAGE
ensure_chromium: the browser tests need Chromium at $CHROMIUM, and it is not there.
Install it as root, then run the tests again:

    sudo apt-get update && sudo apt-get install -y chromium

MESSAGE
exit 1
