"""Screenshot of a Label Studio labeling page, as an annotator sees it.

Runs in Label Studio's venv with playwright (``install.sh --browser``) and drives
Debian's Chromium headless: logs in, opens the task, selects its first region (so
the record's fields show) and saves a PNG.

    VENV/bin/python tools/labelstudio/screenshot.py URL PROJECT TASK OUT.png \
        [--user U --password P]
"""

from __future__ import annotations

import argparse
import os
import shutil

from playwright.sync_api import sync_playwright

USER = os.environ.get("LABEL_STUDIO_USERNAME", "annotator@example.com")
PASSWORD = os.environ.get("LABEL_STUDIO_PASSWORD", "zhibiao-local-only")


def screenshot(
    url: str, project: int, task: int, out: str, user: str, password: str
) -> None:
    """Log in, open the task's labeling page, select a region, save ``out``."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 950})
        page.goto(f"{url}/user/login/")
        page.fill("input[name=email]", user)
        page.fill("input[name=password]", password)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{url}/projects/{project}/data?task={task}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(4000)
        region = page.locator("[role=treeitem], .lsf-outliner-item").first
        if region.count():
            region.click()
            page.wait_for_timeout(1500)
        page.screenshot(path=out)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="tools/labelstudio/screenshot.py")
    parser.add_argument("url")
    parser.add_argument("project", type=int)
    parser.add_argument("task", type=int)
    parser.add_argument("out")
    parser.add_argument("--user", default=USER)
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args()
    screenshot(args.url, args.project, args.task, args.out, args.user, args.password)


if __name__ == "__main__":
    main()
