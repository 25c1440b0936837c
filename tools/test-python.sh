#!/usr/bin/env bash
# Runs the test suite on another Python in a new venv (folder given as $2).
#   tools/test-python.sh 3.13 /tmp/venv-313
#   tools/test-python.sh 3.10 /tmp/venv-low lowest   # lowest allowed versions
# "lowest" pins every direct dependency to its lower bound in pyproject.toml
# (tools/lowest_constraints.py), as `uv pip install --resolution lowest-direct`.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$1"
venv="$2"
mode="${3:-latest}"
python="$(bash tools/find-python.sh "$version")"
"$python" -m venv "$venv"
pip=("$venv/bin/pip" install -q --disable-pip-version-check)
if [ "$mode" = lowest ]; then
  python3 tools/lowest_constraints.py >"$venv/lowest.txt"
  pip+=(-c "$venv/lowest.txt")
fi
"${pip[@]}" -e '.[test]'
if ! "$venv/bin/python" -c "import rapidocr_onnxruntime" 2>/dev/null; then
  # rapidocr-onnxruntime declares Requires-Python <3.13 though it runs on 3.13;
  # until the OCR reader moves to `rapidocr` (same models), install it anyway.
  "${pip[@]}" --ignore-requires-python 'rapidocr-onnxruntime>=1.3.24,<2'
fi
"$venv/bin/pip" list --disable-pip-version-check 2>/dev/null \
  | grep -iE '^(numpy|spacy|scikit-learn|datasets|pyarrow|onnxruntime|rapidocr-onnxruntime|typer|pdfminer.six|selectolax) ' || true
"$venv/bin/python" --version
# The slow hostile inputs and the Label Studio round trip run once, in the main
# step; here every other test runs on the other interpreter and versions.
"$venv/bin/python" -m pytest -q -p no:cacheprovider -m "not slow" --ignore=tests/integration
