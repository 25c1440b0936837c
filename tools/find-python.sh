#!/usr/bin/env bash
# Prints the path of a working Python X.Y interpreter (argument), or fails.
# Looks in pyenv's versions folder first, then on PATH (pythonX.Y); a candidate
# counts only if it runs (a pyenv shim for a version not selected does not).
set -euo pipefail
version="$1"
candidates=("${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/"python$version")
if command -v "python$version" >/dev/null 2>&1; then
  candidates+=("$(command -v "python$version")")
fi
for candidate in "${candidates[@]}"; do
  if [ -x "$candidate" ] && "$candidate" -c "import venv" >/dev/null 2>&1; then
    echo "$candidate"
    exit 0
  fi
done
echo "find-python: no working Python $version in pyenv or on PATH" >&2
exit 1
