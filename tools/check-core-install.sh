#!/usr/bin/env bash
# Installs the package as a user would (`pip install .`, no extras, not editable)
# into a new venv, runs `zhibiao extract` on the samples from another folder, and
# checks: every document used the shipped model, no training library is installed,
# and the venv is under the size limit. Prints the venv's size in MB.
#   tools/check-core-install.sh /tmp/core-venv
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
venv="$1"
limit_mb="${CORE_LIMIT_MB:-700}"
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check "$repo"
size_mb="$(du -sm "$venv" | cut -f1)"
echo "core install: ${size_mb} MB (limit ${limit_mb} MB)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$venv/bin/zhibiao" extract "$repo/samples" --out out)
"$venv/bin/python" - "$work/out/documents.jsonl" "$limit_mb" "$size_mb" <<'PY'
import importlib.util
import json
import sys

path, limit, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
records = [json.loads(line) for line in open(path, encoding="utf-8")]
models = {r["doc"]: r.get("model") for r in records}
print("models:", json.dumps(models, ensure_ascii=False))
assert records and all(r["status"] == "ok" for r in records), records
assert all(isinstance(m, dict) and m["name"] == "narrative" for m in models.values())
installed = [m for m in ("spacy", "sklearn", "datasets") if importlib.util.find_spec(m)]
assert not installed, f"training libraries in the core install: {installed}"
assert size < limit, f"core install {size} MB, limit {limit} MB"
PY
