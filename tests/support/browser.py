"""Headless Chromium (the Debian ``chromium`` package): a page's DOM after its script ran, and a
screenshot of it. Tests that need it skip, saying why, only where no browser is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 60


def browser() -> str:
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    pytest.skip("no headless browser: install Chromium (apt-get install -y chromium; .ci/run does)")


def headless(page: Path, profile: Path, *flags: str) -> str:
    """Runs the browser on the local file and returns its stdout. Its own profile folder keeps
    parallel tests apart; background networking is off, so any request would be the page's."""
    done = subprocess.run(
        [
            browser(),
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            *flags,
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout


def rendered_dom(page: Path, profile: Path) -> str:
    return headless(page, profile, "--dump-dom")


def screenshot(page: Path, profile: Path, target: Path, size: str = "1400,1600") -> Path:
    headless(page, profile, f"--screenshot={target}", f"--window-size={size}", "--hide-scrollbars")
    return target
