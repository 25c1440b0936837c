#!/usr/bin/env bash
# Installs the CJK font the scanned-page tests render with (Debian's WenQuanYi
# Micro Hei), when it is missing. Needs root or sudo; a no-op when present.
set -euo pipefail
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
[ -f "$FONT" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1 || {
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q fonts-wqy-microhei >/dev/null
}
