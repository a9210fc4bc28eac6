"""Every command error in one line, exit 2, no traceback; nothing printed as ready before the
port is bound; the pytest plugin's shared server out of reach ends the run in one line."""

import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from mock_server.cli import main
from support.client_suite import PLUGIN


def one_line_error(args: list[str], cwd) -> str:
    """Run `campfire-mock args` in `cwd`; the error line it printed (asserted alone, exit 2, on stderr)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.stdout == "", result.stdout
    [line] = result.stderr.splitlines()
    assert line.startswith("campfire-mock: ")
    return line


def test_serve_with_a_ledger_in_a_missing_directory(tmp_path):
    line = one_line_error(["serve", "--db", str(tmp_path / "missing" / "x.db")], tmp_path)
    assert line.startswith(f"campfire-mock: cannot use the ledger file {tmp_path / 'missing' / 'x.db'}: ")
    assert "No such file or directory" in line


def test_serve_with_a_dataset_that_is_not_there(tmp_path):
    line = one_line_error(["serve", "--fixtures", str(tmp_path / "nowhere")], tmp_path)
    assert line == f"campfire-mock: {tmp_path / 'nowhere'} is not a dataset (no organizations.jsonl)"


def test_seed_twice(tmp_path):
    assert CliRunner().invoke(main, ["seed", "--db", str(tmp_path / "l.db")]).exit_code == 0
    line = one_line_error(["seed", "--db", str(tmp_path / "l.db")], tmp_path)
    assert line.startswith("campfire-mock: Could not load the dataset (") and line.endswith("reset first.")


@pytest.mark.parametrize("command", [["check", "--db", "typo.db"], ["tokens"], ["reset", "--db", "typo.db"]])
def test_a_ledger_file_that_does_not_exist_is_an_error_not_an_empty_ledger(tmp_path, command):
    line = one_line_error(command, tmp_path)
    db = command[-1] if "--db" in command else "campfire-mock.db"
    assert line.startswith(f"campfire-mock: no ledger at {db}; `campfire-mock serve` keeps its ledger in memory")
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_a_port_in_use_prints_no_banner(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = one_line_error(["serve", "--port", str(port), "--db", "ledger.db"], tmp_path)
    assert line == f"campfire-mock: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert list(tmp_path.iterdir()) == []  # no ledger file made for a server that never ran


def test_the_pytest_plugin_with_an_unreachable_shared_server(tmp_path):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    (tmp_path / "test_client.py").write_text("def test_it(campfire_standin):\n    pass\n")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "-q",
            *PLUGIN,
            "--campfire-url",
            url,
            "--campfire-admin-token",
            "t",
            "test_client.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 2
    assert f"campfire: cannot reach the shared stand-in at {url}: " in run.stdout
    assert "Traceback" not in run.stdout + run.stderr and len(run.stdout.splitlines()) <= 3, run.stdout
