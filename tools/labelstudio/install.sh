#!/usr/bin/env bash
# Installs Label Studio into its own virtual environment (its pinned dependencies
# conflict with zhibiao's), from a cached wheel folder so reruns are fast.
#
#   bash tools/labelstudio/install.sh            # prints the venv's folder
#   bash tools/labelstudio/install.sh --browser  # also Chromium and playwright,
#                                                # for tools/labelstudio/screenshot.py
#
# LABEL_STUDIO_HOME (default ~/.cache/zhibiao-labelstudio) holds wheels/ and
# venv-<version>/. A no-op when that venv already runs the pinned version.
set -euo pipefail
VERSION="${LABEL_STUDIO_VERSION:-1.23.2}"
HOME_DIR="${LABEL_STUDIO_HOME:-$HOME/.cache/zhibiao-labelstudio}"
PYTHON="${PYTHON:-python3}"
VENV="$HOME_DIR/venv-$VERSION"
WHEELS="$HOME_DIR/wheels"
BROWSER=0
[ "${1:-}" = "--browser" ] && BROWSER=1
mkdir -p "$HOME_DIR" "$WHEELS"

if ! "$VENV/bin/python" -c "import label_studio, sys; sys.exit(label_studio.__version__ != '$VERSION')" 2>/dev/null; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip wheel >&2
  # Wheels (sdists built once) go to the cache; the install reads only the cache.
  "$VENV/bin/pip" wheel -q -w "$WHEELS" --find-links "$WHEELS" "label-studio==$VERSION" >&2
  "$VENV/bin/pip" install -q --no-index --find-links "$WHEELS" "label-studio==$VERSION" >&2
fi

if [ "$BROWSER" = 1 ]; then
  if ! command -v chromium >/dev/null; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || {
      $SUDO apt-get update -q >/dev/null
      $SUDO apt-get install -y -q chromium >/dev/null
    }
  fi
  if ! "$VENV/bin/python" -c "import playwright" 2>/dev/null; then
    "$VENV/bin/pip" wheel -q -w "$WHEELS" --find-links "$WHEELS" playwright >&2
    "$VENV/bin/pip" install -q --no-index --find-links "$WHEELS" playwright >&2
  fi
fi
echo "$VENV"
