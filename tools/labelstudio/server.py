"""Start and stop a throw-away Label Studio on 127.0.0.1, and talk to its HTTP API.

Standard library only, so it runs under zhibiao's Python while Label Studio runs
in its own virtual environment (``tools/labelstudio/install.sh``).

    python tools/labelstudio/server.py start VENV DATA_DIR [--port N]  # prints URL
    python tools/labelstudio/server.py stop DATA_DIR                   # and removes it

The first user and its API token come from the environment Label Studio reads
(``LABEL_STUDIO_USERNAME``, ``LABEL_STUDIO_PASSWORD``, ``LABEL_STUDIO_USER_TOKEN``);
defaults are set for a local, throw-away server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
USER = "annotator@example.com"
PASSWORD = "zhibiao-local-only"
TOKEN = "0123456789abcdef0123456789abcdef01234567"
PID_FILE = "server.pid"
LOG_FILE = "server.log"
# First start migrates a fresh database: about two minutes on two cores.
START_TIMEOUT = 420


@dataclass(frozen=True)
class Server:
    """A running Label Studio."""

    url: str
    data_dir: Path
    pid: int
    user: str
    password: str
    token: str


def free_port() -> int:
    """A TCP port nobody listens on at 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(venv: Path, data_dir: Path, port: int | None = None) -> Server:
    """Start Label Studio with its data in ``data_dir`` and wait until it answers.

    Raises:
        RuntimeError: the server exited or did not answer in time (its log is
            in ``data_dir/server.log``).
    """
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    user = os.environ.get("LABEL_STUDIO_USERNAME", USER)
    password = os.environ.get("LABEL_STUDIO_PASSWORD", PASSWORD)
    token = os.environ.get("LABEL_STUDIO_USER_TOKEN", TOKEN)
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": user,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    }
    command = [
        str(Path(venv) / "bin" / "label-studio"),
        "start",
        "--no-browser",
        "--internal-host",
        HOST,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--username",
        user,
        "--password",
        password,
        "--user-token",
        token,
        "--enable-legacy-api-token",
    ]
    log = (data_dir / LOG_FILE).open("wb")
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    (data_dir / PID_FILE).write_text(str(process.pid))
    server = Server(
        f"http://{HOST}:{port}", data_dir, process.pid, user, password, token
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Label Studio exited; see {data_dir / LOG_FILE}")
        if _healthy(server.url):
            return server
        time.sleep(2)
    stop(data_dir, remove=False)
    raise RuntimeError(f"Label Studio did not answer; see {data_dir / LOG_FILE}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def stop(data_dir: Path, remove: bool = True) -> None:
    """Stop the server started on ``data_dir`` (its process group) and remove it."""
    data_dir = Path(data_dir)
    pid_file = data_dir / PID_FILE
    if pid_file.exists():
        pid = int(pid_file.read_text())
        for sig, wait in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(pid, sig)
            except ProcessLookupError:
                break
            if _gone(pid, wait):
                break
    if remove:
        shutil.rmtree(data_dir, ignore_errors=True)


def _gone(pid: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:  # not our child: probe it instead
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            finished = 0
        if finished:
            return True
        time.sleep(0.2)
    return False


def api(server: Server, method: str, path: str, body: Any = None) -> Any:
    """Call the HTTP API with the user's token; the decoded JSON answer.

    Raises:
        RuntimeError: the server answered with an error (status and body quoted).
    """
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        server.url + path,
        data=data,
        method=method,
        headers={
            "Authorization": f"Token {server.token}",
            "Content-Type": "application/json",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            text = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:2000].decode(errors="replace")
        raise RuntimeError(f"{method} {path}: HTTP {exc.code}: {detail}") from exc
    return json.loads(text) if text else None


def create_project(server: Server, title: str, label_config: str) -> int:
    """A new project with the labeling config; its id."""
    project = api(
        server, "POST", "/api/projects", {"title": title, "label_config": label_config}
    )
    return int(project["id"])


def import_tasks(server: Server, project: int, tasks: list[dict]) -> dict:
    """Import tasks (with their predictions) into a project."""
    return api(server, "POST", f"/api/projects/{project}/import", tasks)


def task_ids(server: Server, project: int) -> list[int]:
    """The project's task ids, in import order."""
    answer = api(server, "GET", f"/api/tasks?project={project}&page_size=1000")
    tasks = answer["tasks"] if isinstance(answer, dict) else answer
    return sorted(int(t["id"]) for t in tasks)


def export_project(server: Server, project: int) -> list[dict]:
    """The project's JSON export (every task, with annotations)."""
    return api(
        server,
        "GET",
        f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/labelstudio/server.py")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("start")
    up.add_argument("venv", type=Path)
    up.add_argument("data_dir", type=Path)
    up.add_argument("--port", type=int)
    down = sub.add_parser("stop")
    down.add_argument("data_dir", type=Path)
    down.add_argument("--keep", action="store_true", help="Keep the data folder.")
    args = parser.parse_args(argv)
    if args.command == "start":
        server = start(args.venv, args.data_dir, args.port)
        print(server.url)
    else:
        stop(args.data_dir, remove=not args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
