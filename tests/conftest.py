"""Shared test fixtures: ONE stand-in per test session (the default dataset loaded once and
snapshotted), restored from the snapshot before each test in milliseconds; the app in-process
and the same app over real HTTP (uvicorn on a free 127.0.0.1 port), both validating every
response against spec/."""

import httpx
import pytest

from mock_server import running
from mock_server.storage import open_ledger
from support.api import TODAY, Api
from support.postgres_cluster import pg_cluster  # noqa: F401 (the session's PostgreSQL cluster, a fixture)

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def _session():
    """The session's stand-in (mock_server.running(), the same one a client's tests get) and
    clients of its app over real HTTP and in-process."""
    with (
        running(today=TODAY, validate_responses=True) as standin,
        httpx.Client(base_url=standin.base_url, timeout=30) as http,
        standin.server.app.test_client() as in_process,
    ):
        yield standin, Api(http, standin.state), Api(in_process, standin.state)


@pytest.fixture
def state(_session):
    """The session's stand-in, restored to the default dataset (and TODAY) for this test."""
    standin, _, _ = _session
    standin.restore()
    return standin.state


@pytest.fixture
def local(_session, state):
    """The app in-process (no socket), every response validated against spec/."""
    return _session[2]


@pytest.fixture
def live(_session, state):
    """The app over real HTTP, every response validated against spec/."""
    return _session[1]


@pytest.fixture(scope="module", params=ENGINES)
def engine(request) -> str:
    """The storage engine of a test that must hold on each: it runs once per engine."""
    return request.param


@pytest.fixture(scope="session")
def _pg_session(pg_cluster):
    """The session's stand-in on PostgreSQL: the default dataset in a database of its own."""
    with (
        running(today=TODAY, validate_responses=True, ledger=open_ledger(pg_cluster.new_database())) as standin,
        httpx.Client(base_url=standin.base_url, timeout=30) as http,
    ):
        yield standin, Api(http, standin.state)


@pytest.fixture
def live_on_engine(engine, request):
    """`live` on the test's engine (SQLite: the session's stand-in; PostgreSQL: its own)."""
    if engine == "sqlite":
        return request.getfixturevalue("live")
    standin, api = request.getfixturevalue("_pg_session")
    standin.restore()
    return api


@pytest.fixture
def ledger_location(engine, tmp_path, request) -> tuple[str, str]:
    """(the `serve` option, an empty ledger on the test's engine): a file, or a new database."""
    if engine == "sqlite":
        return "--db", str(tmp_path / "ledger.db")
    return "--database", request.getfixturevalue("pg_cluster").new_database()


def pytest_terminal_summary(terminalreporter):
    """How many requests the DRF differential test sent (its own print is hidden under xdist)."""
    reports = [
        report
        for outcome in ("passed", "failed", "xfailed", "xpassed")
        for report in terminalreporter.stats.get(outcome, [])
        if "test_same_answer_as_drf" in report.nodeid
    ]
    if reports:
        terminalreporter.write_line(
            f"DRF fidelity: {len(reports)} scenarios, {2 * len(reports)} requests "
            "(one to the DRF reference, one to the stand-in, each)"
        )
