"""pytest plugin (entry point `pytest11`, name `campfire`): the `campfire_standin` fixture.

One stand-in per test session, started only when a test asks for the fixture, restored to its
dataset before each test (`mock_server.running()`): a request a test left in flight (its client
gave up on it) either ends before that restore or is refused with 503, never applied to the next
test's data or journal (mock_server/web/in_flight.py). Options: `--campfire-fixtures PATH` (a
directory of .jsonl tables, `default` or `none`) and `--campfire-today YYYY-MM-DD`; the marker
`@pytest.mark.campfire_empty` starts a test with an empty ledger. Disable with `-p no:campfire`.

With `--campfire-url URL --campfire-admin-token T` (or CAMPFIRE_STANDIN_URL and CAMPFIRE_STANDIN_ADMIN_TOKEN)
nothing is started: the session gets a sandbox on that shared server, deleted at the end, and a
test marked `@pytest.mark.campfire_sandbox` gets a sandbox of its own, created before it and
deleted after it (failed or not). Without a shared server that marker changes nothing: the
stand-in in the process is already restored before each test, and no other test runs in it then.
"""

import os
from contextlib import contextmanager

import pytest

# One name per meaning: CAMPFIRE_STANDIN_* is this plugin's shared server, CAMPFIRE_TARGET_* the
# conformance harness's target. The old names, which meant either, are refused, never reused.
RETIRED_VARIABLES = {"CAMPFIRE_URL": "CAMPFIRE_STANDIN_URL", "CAMPFIRE_ADMIN_TOKEN": "CAMPFIRE_STANDIN_ADMIN_TOKEN"}


def pytest_addoption(parser):
    group = parser.getgroup("campfire", "Campfire stand-in")
    group.addoption(
        "--campfire-fixtures",
        default="default",
        metavar="PATH",
        help="dataset of the campfire_standin fixture: default, none, or a directory of .jsonl tables",
    )
    group.addoption(
        "--campfire-today",
        default=None,
        metavar="DATE",
        help="pin the stand-in's today (YYYY-MM-DD); default: the real clock",
    )
    group.addoption(
        "--campfire-url",
        default=os.environ.get("CAMPFIRE_STANDIN_URL"),
        metavar="URL",
        help="a shared stand-in: the session gets a sandbox there instead of starting one (CAMPFIRE_STANDIN_URL)",
    )
    group.addoption(
        "--campfire-admin-token",
        default=os.environ.get("CAMPFIRE_STANDIN_ADMIN_TOKEN"),
        metavar="TOKEN",
        help="the shared stand-in's admin token (CAMPFIRE_STANDIN_ADMIN_TOKEN)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "campfire_empty: the campfire_standin fixture starts this test with an empty ledger"
    )
    config.addinivalue_line(
        "markers",
        "campfire_sandbox: on a shared server (--campfire-url), this test gets a "
        "sandbox of its own, deleted after it; without one, no effect",
    )


@contextmanager
def _running(config, fixtures: str):
    """The stand-in (or the shared server's sandbox); a shared server out of reach or refusing
    ends the run in one line, exit 2."""
    from .running_standin import SharedServerError, running

    for name, instead in RETIRED_VARIABLES.items():
        if os.environ.get(name):
            raise pytest.UsageError(f"{name} is no longer read (it meant two things); set {instead} instead")
    try:
        with running(
            fixtures,
            config.getoption("campfire_today"),
            url=config.getoption("campfire_url"),
            admin_token=config.getoption("campfire_admin_token"),
        ) as standin:
            yield standin
    except SharedServerError as exc:
        pytest.exit(f"campfire: {exc}", returncode=2)


@pytest.fixture(scope="session")
def _campfire_session(pytestconfig):
    with _running(pytestconfig, pytestconfig.getoption("campfire_fixtures")) as standin:
        yield standin


@pytest.fixture
def campfire_standin(request, pytestconfig):
    """The session's stand-in (mock_server.running_standin.RunningStandIn), restored for this test:
    base_url, token(role, organization), the admin helpers, the request journal. On a shared
    server, a test marked campfire_sandbox gets a new sandbox instead (the session's is not made
    for it)."""
    empty = request.node.get_closest_marker("campfire_empty") is not None
    if pytestconfig.getoption("campfire_url") and request.node.get_closest_marker("campfire_sandbox"):
        fixtures = "none" if empty else pytestconfig.getoption("campfire_fixtures")
        with _running(pytestconfig, fixtures) as standin:
            yield standin
        return
    session = request.getfixturevalue("_campfire_session")
    session.restore(empty=empty)
    yield session
