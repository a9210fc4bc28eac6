"""pytest plugin (entry point `pytest11`, name `campfire`): the `campfire_standin` fixture.

One stand-in per test session, started only when a test asks for the fixture, restored to its
dataset before each test (`mock_server.running()`). Options: `--campfire-fixtures PATH` (a
directory of .jsonl tables, `default` or `none`) and `--campfire-today YYYY-MM-DD`; the marker
`@pytest.mark.campfire_empty` starts a test with an empty ledger. Disable with `-p no:campfire`.

With `--campfire-url URL --campfire-admin-token T` (or CAMPFIRE_URL and CAMPFIRE_ADMIN_TOKEN)
nothing is started: the session gets a sandbox on that shared server, deleted at the end.
"""
import os

import pytest


def pytest_addoption(parser):
    group = parser.getgroup("campfire", "Campfire stand-in")
    group.addoption("--campfire-fixtures", default="default", metavar="PATH",
                    help="dataset of the campfire_standin fixture: default, none, or a directory of .jsonl tables")
    group.addoption("--campfire-today", default=None, metavar="DATE",
                    help="pin the stand-in's today (YYYY-MM-DD); default: the real clock")
    group.addoption("--campfire-url", default=os.environ.get("CAMPFIRE_URL"), metavar="URL",
                    help="a shared stand-in: the session gets a sandbox there instead of starting one (CAMPFIRE_URL)")
    group.addoption("--campfire-admin-token", default=os.environ.get("CAMPFIRE_ADMIN_TOKEN"), metavar="TOKEN",
                    help="the shared stand-in's admin token (CAMPFIRE_ADMIN_TOKEN)")


def pytest_configure(config):
    config.addinivalue_line("markers", "campfire_empty: the campfire_standin fixture starts this test with an empty ledger")


@pytest.fixture(scope="session")
def _campfire_session(pytestconfig):
    from .running_standin import running

    with running(pytestconfig.getoption("campfire_fixtures"), pytestconfig.getoption("campfire_today"),
                 url=pytestconfig.getoption("campfire_url"),
                 admin_token=pytestconfig.getoption("campfire_admin_token")) as standin:
        yield standin


@pytest.fixture
def campfire_standin(_campfire_session, request):
    """The session's stand-in (mock_server.running_standin.RunningStandIn), restored for this test:
    base_url, token(role, organization), the admin helpers, the request journal."""
    _campfire_session.restore(empty=request.node.get_closest_marker("campfire_empty") is not None)
    return _campfire_session
