#!/usr/bin/env python3
"""Print a pip constraints file that pins every direct dependency to its lower bound.

usage: python3 tools/lowest_constraints.py [EXTRA ...] > lowest.txt
       pip install -c lowest.txt '.[test]'

Reads ``pyproject.toml``: the core dependencies and the named extras (default:
every extra but ``bench``). A requirement ``name>=X,<Y; marker`` becomes
``name==X; marker``; one without a lower bound is left to the resolver and named on
stderr. Dependencies of dependencies are not pinned (as ``uv pip install
--resolution lowest-direct``), so the run tests our bounds, not theirs.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import tomllib

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
SKIPPED_EXTRAS = ("bench",)
REQUIREMENT = re.compile(
    r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?"
    r"\s*(?P<specs>[^;]*?)\s*(?:;\s*(?P<marker>.+))?$"
)
LOWER = re.compile(r"(?:>=|==|~=)\s*([^,\s]+)")


def lowest_pin(requirement: str) -> str | None:
    """``name==lower; marker`` for one requirement, or None without a lower bound.

    >>> lowest_pin("numpy>=1.24,<3")
    'numpy==1.24'
    >>> lowest_pin("rapidocr-onnxruntime>=1.3.24,<2; python_version < '3.13'")
    "rapidocr-onnxruntime==1.3.24; python_version < '3.13'"
    """
    match = REQUIREMENT.match(requirement)
    if match is None:
        raise ValueError(f"cannot read requirement {requirement!r}")
    lower = LOWER.search(match["specs"])
    if lower is None:
        return None
    pin = f"{match['name']}=={lower.group(1)}"
    return f"{pin}; {match['marker']}" if match["marker"] else pin


def requirements(project: dict, extras: Iterable[str]) -> Iterator[str]:
    """The core requirements, then those of each extra (self-references left out)."""
    yield from project.get("dependencies", [])
    optional = project.get("optional-dependencies", {})
    for extra in extras:
        for requirement in optional[extra]:
            if not requirement.startswith(f"{project['name']}["):
                yield requirement


def main(argv: list[str]) -> int:
    """Print the constraints for the extras in ``argv``."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    extras = argv or [e for e in optional if e not in SKIPPED_EXTRAS]
    for requirement in requirements(project, extras):
        pin = lowest_pin(requirement)
        if pin is None:
            print(f"no lower bound: {requirement}", file=sys.stderr)
        else:
            print(pin)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
