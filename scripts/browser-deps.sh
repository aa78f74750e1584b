#!/usr/bin/env bash
# What the browser tests (tests/test_web_browser.py) drive: Debian's chromium, and the CJK fonts
# its pages are drawn with (without them every Chinese character is a box in the screenshots).
# Installed with apt-get when missing, nothing done when both are there; Playwright never
# downloads a browser of its own. Part of the README's second command: bash scripts/browser-deps.sh
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "browser-deps.sh: installing ${missing[*]} needs root (no sudo here)" >&2
        exit 1
    fi
}
echo "installing ${missing[*]} for the browser tests (Debian packages)"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
command -v chromium >/dev/null || { echo "browser-deps.sh: chromium is still missing" >&2; exit 1; }
