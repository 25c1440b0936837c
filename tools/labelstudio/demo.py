"""Screenshot of the labeling page for a table page, as an annotator sees it.

Extracts one PDF, exports its records as Label Studio tasks, starts a throw-away
server, creates the page project, imports the chosen page's task, takes the
screenshot with headless Chromium (``screenshot.py``) and stops the server.

    bash tools/labelstudio/install.sh --browser
    python tools/labelstudio/demo.py PDF PAGE docs/labelstudio-page.png
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def _server():
    spec = importlib.util.spec_from_file_location("ls_server", HERE / "server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["ls_server"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(prog="tools/labelstudio/demo.py")
    parser.add_argument("pdf", type=Path)
    parser.add_argument("page", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    venv = Path(
        subprocess.run(
            ["bash", str(HERE / "install.sh"), "--browser"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
    )
    server = _server()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "nlp.cli", "extract", str(args.pdf),
             "--out", str(work / "out"), "--workers", "1", "--quiet"],
            check=True, cwd=ROOT,
        )  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "nlp.cli", "annotate", "export", str(work / "ls"),
             "--pred", str(work / "out"), "--docs", str(args.pdf)],
            check=True, cwd=ROOT,
        )  # fmt: skip
        tasks = json.loads((work / "ls" / "page.tasks.json").read_text("utf-8"))
        chosen = [t for t in tasks if t["data"]["page"] == args.page]
        if not chosen:
            raise SystemExit(f"page {args.page} has no records to review")
        running = server.start(venv, work / "data")
        try:
            config = (work / "ls" / "page.xml").read_text(encoding="utf-8")
            project = server.create_project(running, "Page review", config)
            server.import_tasks(running, project, chosen)
            (task,) = server.task_ids(running, project)
            subprocess.run(
                [str(venv / "bin" / "python"), str(HERE / "screenshot.py"),
                 running.url, str(project), str(task), str(args.out.resolve()),
                 "--user", running.user, "--password", running.password],
                check=True,
            )  # fmt: skip
        finally:
            server.stop(work / "data")
    print(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
