"""Running the harness from tests: in this process (cheap: no interpreter start-up, checks picked
with `only`) or as the console script (end to end: the `campfire-conformance` entry point's
module, `python -m conformance.cli`, with this tree first on the path so that it is the code
under test even where the installed package points elsewhere)."""

import contextlib
import os
import subprocess
import sys
from pathlib import Path

from conformance import runner
from conformance.target import Settings
from mock_server.serving import ServerThread
from support.broken_targets import BrokenTarget

ROOT = Path(__file__).resolve().parents[2]


def tokens(stand_in) -> dict:
    return {"admin": stand_in.token, "view_only": stand_in.view_only_token}


def check(url: str, stand_in, *, admin: bool = True, **options) -> runner.Outcome:
    """The harness against `url` with the stand-in's tokens (and its admin token unless told)."""
    settings = Settings(
        url, stand_in.token, stand_in.view_only_token, stand_in.admin_token if admin else None, max_rps=0
    )
    return runner.check(settings, **options)


@contextlib.contextmanager
def broken(stand_in, defect):
    """The stand-in served through `defect` (a class of broken_targets) on its own port."""
    with ServerThread(BrokenTarget(stand_in.server.app, defect(tokens(stand_in)))) as server:
        yield server


CONSOLE = [sys.executable, "-m", "conformance.cli"]  # the console script, this tree's


def target_options(server, *, view_only: bool = False, admin: bool = False, max_rps: str = "0") -> list[str]:
    """The harness's options aimed at `server` (a stand-in) with its token, and as asked its
    view-only and admin tokens, at `max_rps`."""
    return [
        *("--base-url", server.url, "--token", server.token, "--max-rps", max_rps),
        *(("--view-only-token", server.view_only_token) if view_only else ()),
        *(("--admin-token", server.admin_token) if admin else ()),
    ]


def console_environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def console(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CONSOLE, *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=console_environment(),
    )
