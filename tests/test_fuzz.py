"""`campfire-conformance fuzz`: a bounded Schemathesis run against the stand-in passes and
reaches 200 voids; against a broken target it fails and its cassette replays the failure."""
import re
import subprocess
import sys

from broken_targets import BrokenTarget, ServerErrorOnBadInput
from conftest import make_state
from mock_server.app import create_app
from mock_server.serving import ServerThread


def _fuzz(url, token, admin_token, report_dir, *extra):
    return subprocess.run([sys.executable, "-m", "conformance.cli", "--base-url", url, "--token", token,
                           "--admin-token", admin_token, "fuzz", "--report-dir", str(report_dir), "--seed", "1", *extra],
                          capture_output=True, text=True, timeout=600)


def test_a_bounded_fuzz_of_the_stand_in_passes_and_reaches_deep_states(tmp_path):
    state = make_state(today=None)
    token = next(row for row in state.ledger.db.query("SELECT key FROM tokens WHERE role = 'admin'"))["key"]
    with ServerThread(create_app(state)) as server:
        result = _fuzz(server.url, token, state.admin_token, tmp_path, "--max-examples", "20")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    coverage = re.search(r"Deep-state coverage: (\d+) of (\d+) requests", output)
    void_200, requests = int(coverage.group(1)), int(coverage.group(2))
    print(coverage.group(0))
    assert requests >= 2000 and void_200 > 0
    assert "Ledger invariants after the run: hold" in output
    assert (tmp_path / "junit.xml").exists() and (tmp_path / "failures.yaml").exists()


def test_fuzz_catches_a_broken_target_and_the_cassette_replays_it(tmp_path):
    state = make_state(today=None)
    token = next(row for row in state.ledger.db.query("SELECT key FROM tokens WHERE role = 'admin'"))["key"]
    defect = ServerErrorOnBadInput(state, {"admin": token})
    with ServerThread(BrokenTarget(create_app(state), defect)) as broken:
        result = _fuzz(broken.url, token, state.admin_token, tmp_path, "--max-examples", "5",
                       "--phases", "examples,coverage,fuzzing")
        output = result.stdout + result.stderr
        assert result.returncode == 1, output[-3000:]
        assert "curl -X POST" in output, "a reproduction command is printed for each failure"
        assert "failing one(s)" in output and (tmp_path / "failures.yaml").stat().st_size > 0
        replayed = subprocess.run([sys.executable, "-m", "conformance.cli", "--base-url", broken.url, "--token", token,
                                   "replay", str(tmp_path / "failures.yaml")], capture_output=True, text=True, timeout=300)
    assert replayed.returncode == 1, replayed.stdout + replayed.stderr
    assert "STILL FAILS" in replayed.stdout
    with ServerThread(create_app(state)) as fixed:
        healthy = subprocess.run([sys.executable, "-m", "conformance.cli", "--base-url", fixed.url, "--token", token,
                                  "replay", str(tmp_path / "failures.yaml")], capture_output=True, text=True, timeout=300)
    assert healthy.returncode == 0, healthy.stdout
    assert "fixed" in healthy.stdout
