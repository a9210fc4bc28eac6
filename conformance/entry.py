"""The `campfire-conformance` command: the harness when its extra is installed, else one line
saying how to install it (the stand-in and its pytest plugin do without it)."""

import sys
from importlib.util import find_spec

HARNESS = ("schemathesis", "openapi_core", "pytest")  # what conformance/ imports beyond the stand-in
INSTALL = "pip install 'campfire-void-standin[harness]'"


def main():
    missing = [name for name in HARNESS if find_spec(name) is None]
    if missing:
        print(
            f"campfire-conformance: the harness needs {', '.join(missing)}; install it with: {INSTALL}", file=sys.stderr
        )
        sys.exit(2)
    from .cli import main as harness

    harness()
