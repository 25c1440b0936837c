"""Every notebook in notebooks/ runs top to bottom.

The code cells are executed in order in one namespace, from the notebook's folder,
as a kernel would run them; a cell that raises fails the test with its index.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _code_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(path.parent)
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    for index, source in enumerate(_code_cells(path)):
        try:
            exec(compile(source, f"{path.name}[{index}]", "exec"), namespace)
        except Exception as error:  # a failing cell fails the notebook
            pytest.fail(f"{path.name}: cell {index} raised {error!r}")
