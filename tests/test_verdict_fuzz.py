"""A fuzz run's verdict: a budget spent before any void is INCOMPLETE, never a pass; Ctrl-C says
INTERRUPTED on the console, in summary.json and in report.html."""

import json
import signal
import subprocess

from support import harness
from support.stand_ins import stand_in


def _fuzz(server, report_dir, *options) -> list[str]:
    return [
        *harness.CONSOLE,
        *harness.target_options(server),
        "fuzz",
        "--report-dir",
        str(report_dir),
        "--seed",
        "1",
        "--pool",
        "3",
        *options,
    ]


def test_a_budget_spent_before_any_void_is_incomplete(tmp_path):
    result = subprocess.run(
        _fuzz(stand_in("a"), tmp_path, "--max-examples", "1", "--max-time", "1"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=harness.console_environment(),
    )
    assert result.returncode == 2, result.stdout[-3000:] + result.stderr[-3000:]
    line = "INCOMPLETE: the budget ran out before any void was sent: raise --max-examples or --max-time"
    assert result.stdout.strip().splitlines()[-1] == line
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["verdict"], summary["exit_code"], summary["voids"]) == ("INCOMPLETE", 2, 0)
    report = (tmp_path / "report.html").read_text()
    assert "the budget ran out before any void was sent" in report
    assert "Payments to void: 3 provisioned before the run, 0 made during it" in report and summary["pool"] in report


def test_ctrl_c_during_a_fuzz_run_says_interrupted(tmp_path):
    process = subprocess.Popen(
        _fuzz(stand_in("a"), tmp_path, "--max-examples", "50", "--max-time", "120"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**harness.console_environment(), "PYTHONUNBUFFERED": "1"},
    )
    for line in process.stderr:  # bounded: the process ends, and with it the stream
        if line.startswith("Fuzzing "):
            break
    try:
        process.wait(timeout=3)  # Schemathesis is under way
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 2, stdout[-3000:] + stderr[-3000:]
    assert stdout.strip().splitlines()[-1] == "INCOMPLETE: INTERRUPTED (Ctrl-C)"
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["verdict"], summary["verdict_reasons"]) == ("INCOMPLETE", ["INTERRUPTED (Ctrl-C)"])
    assert "INTERRUPTED (Ctrl-C)" in (tmp_path / "report.html").read_text()
