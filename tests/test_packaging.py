"""The package as a user installs it: the model inside, no training libraries.

The wheel test builds the package, installs it into a folder of its own and runs
the command line from another folder, so the model must come from the package, not
from the repository.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import GOOD_TEXT, write

from nlp.classify.model import DEFAULT_MODEL_DIR, model_sha256

ROOT = Path(__file__).resolve().parents[1]
TRAINING_LIBRARIES = ("spacy", "sklearn", "datasets", "thinc")
NARRATIVE = "绩效目标：采购执行率为98.73%，群众满意度不低于95%。"


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_model_is_package_data() -> None:
    assert DEFAULT_MODEL_DIR == ROOT / "nlp" / "models" / "narrative"
    for name in ("config.json", "features.json", "coef.npy", "README.md"):
        assert (DEFAULT_MODEL_DIR / name).is_file()


def test_extraction_with_the_model_imports_no_training_library(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "import nlp\n"
        f"result = nlp.extract({NARRATIVE!r})\n"
        "print(json.dumps({'model': result.document.to_dict()['model'],\n"
        "    'metrics': [i.metric for i in result.indicators],\n"
        f"    'loaded': [m for m in {TRAINING_LIBRARIES!r} if m in sys.modules]}}))\n"
    )
    out = json.loads(_run([sys.executable, "-c", code], cwd=tmp_path))
    assert out["loaded"] == []
    assert out["model"]["name"] == "narrative"
    assert out["model"]["sha256"] == model_sha256(DEFAULT_MODEL_DIR)
    assert "采购执行率" in out["metrics"]


def test_wheel_install_uses_the_model_from_another_folder(tmp_path: Path) -> None:
    wheels, site, work = tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        cwd=tmp_path,
    )
    (wheel,) = wheels.glob("zhibiao-*.whl")
    _run(
        [*pip, "install", "--no-deps", "--target", str(site), str(wheel)], cwd=tmp_path
    )
    write(work / "in" / "a.txt", GOOD_TEXT + NARRATIVE + "\n")
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = _run([sys.executable, "-c", "import nlp; print(nlp.__file__)"], work, env)
    assert Path(where.strip()).is_relative_to(site)
    _run([sys.executable, "-m", "nlp.cli", "extract", "in", "--out", "out"], work, env)
    (record,) = [
        json.loads(line)
        for line in (work / "out" / "documents.jsonl").read_text("utf-8").splitlines()
    ]
    assert record["status"] == "ok"
    assert record["model"]["name"] == "narrative"
    assert record["model"]["sha256"] == model_sha256(DEFAULT_MODEL_DIR)
