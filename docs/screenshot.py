"""Rebuild the README's screenshot: the example story's static HTML report in headless Chromium.

Usage: ``python docs/screenshot.py [--chromium /usr/bin/chromium] [--out docs/images/report.png]``.
Needs the ``playwright`` package and Debian's ``chromium`` (never ``playwright install``); the
report is the one ``storyscope compare --example -o report.html`` writes, shot at 1400 x 1000.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--out", type=Path, default=HERE / "images" / "report.png")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=1000)
    a = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    import storyscope
    from storyscope._examples import example_dir
    from storyscope.report import render

    story = storyscope.compare([str(example_dir())])
    with tempfile.TemporaryDirectory() as work:
        page_file = Path(work) / "report.html"
        page_file.write_text(render(story, "html"), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=a.chromium, headless=True, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": a.width, "height": a.height})
            page.goto(page_file.as_uri())
            a.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(a.out), full_page=False)
            browser.close()
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
