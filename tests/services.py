"""Real services the tests need (Redis, Chromium): skip on a laptop without them, fail in CI."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def xdist_worker() -> str:
    """The pytest-xdist worker running this process (``gw0``, ``gw1``...), ``main`` without."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def redis_key_prefix() -> str:
    """Keys of one test process in a shared Redis database: parallel workers (and other
    checkouts' runs on the same db) neither read each other's queues nor flush them."""
    return f"tests-{os.getpid()}-{xdist_worker()}:"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    """Skip with ``reason`` when a service is missing; in CI (CI=true) fail instead."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service is a failure, not a skip)")
    pytest.skip(reason)


def require_chromium() -> str:
    path = CHROMIUM_PATH if os.path.exists(CHROMIUM_PATH) else shutil.which("chromium")
    require(bool(path), f"Chromium not found at {CHROMIUM_PATH}: apt-get install chromium")
    return path or CHROMIUM_PATH
