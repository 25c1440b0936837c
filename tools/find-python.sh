#!/usr/bin/env bash
# Prints the path of a Python interpreter of version X.Y (argument), or fails.
# Looks on PATH (pythonX.Y), then in pyenv's versions folder.
set -euo pipefail
version="$1"
if command -v "python$version" >/dev/null 2>&1; then
  command -v "python$version"
  exit 0
fi
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/"python$version"; do
  if [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
echo "find-python: no Python $version on PATH or in pyenv" >&2
exit 1
