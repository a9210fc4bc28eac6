"""The CI recipe as shipped (.github/workflows/conformance.yml): actionlint finds nothing in it,
and the commands of its steps, run from a clean clone of the committed files against a local
stand-in, pass, produce every file the workflow uploads, and give the promised verdicts (only
exit 0 passes the job; exit 2, "nothing proven", fails it too unless the workflow opts out).

Nothing is installed here: the "Install" steps are replaced by this checkout's .venv (its
console scripts, with the clone first on PYTHONPATH, run the clone's code)."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from support.stand_ins import stand_in

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = Path(".github/workflows/conformance.yml")
VENV_BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{\s*(secrets|vars)\.(\w+)\s*(?:\|\|\s*'([^']*)'\s*)?\}\}")


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ci") / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(path)], check=True)
    for installed_from in ("pyproject.toml", "requirements.lock"):  # `make` then takes the reused .venv as installed
        os.utime(path / installed_from, (0, 0))
    return path


@pytest.fixture(scope="module")
def workflow(clone) -> dict:
    return yaml.safe_load((clone / WORKFLOW).read_text())


def _evaluate(value: str, secrets: dict, variables: dict) -> str:
    """The two expression forms the workflow may use: ${{ secrets.X }} and ${{ vars.X || 'default' }}."""

    def one(match):
        kind, name, default = match.groups()
        return (secrets if kind == "secrets" else variables).get(name) or default or ""

    evaluated = EXPRESSION.sub(one, str(value))
    assert "${{" not in evaluated, f"an expression this test cannot evaluate: {value}"
    return evaluated


def run_job(clone: Path, workflow: dict, job: str, secrets: dict, variables: dict, summary: Path):
    """Run the job's `run:` steps but its install, as GitHub's bash would; the last process."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("CAMPFIRE_", "FUZZ_"))}
    env.update(
        {
            "PATH": f"{VENV_BIN}{os.pathsep}{env['PATH']}",
            "PYTHONPATH": str(clone),
            "VENV": str(VENV_BIN.parent),
            "GITHUB_STEP_SUMMARY": str(summary),
            "CI": "true",
        }
    )
    for scope in (workflow.get("env", {}), workflow["jobs"][job].get("env", {})):
        env.update({name: _evaluate(value, secrets, variables) for name, value in scope.items()})
    result = None
    for step in workflow["jobs"][job]["steps"]:
        if "run" not in step or step.get("name") == "Install":
            continue
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode:
            break
    return result


def uploaded(workflow: dict, job: str) -> list[str]:
    step = next(step for step in workflow["jobs"][job]["steps"] if "upload-artifact" in step.get("uses", ""))
    return step["with"]["path"].split()


def secrets_of(server) -> dict:
    """The repository secrets for `server`, checked as a remote deployment would be (no admin token)."""
    return {
        "CAMPFIRE_TARGET_URL": server.url,
        "CAMPFIRE_TARGET_TOKEN": server.token,
        "CAMPFIRE_TARGET_VIEW_ONLY_TOKEN": server.view_only_token,
    }


UNPACED = {"CAMPFIRE_MAX_RPS": "0"}  # a repository variable; the local stand-in needs no pacing


def test_actionlint_finds_nothing(clone):
    result = subprocess.run(
        [str(VENV_BIN / "actionlint"), "-no-color", str(WORKFLOW)],
        cwd=clone,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers_and_jobs(workflow):
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "push" in triggers and triggers["schedule"][0]["cron"]
    assert "schedule" in workflow["jobs"]["fuzz"]["if"] and "if" not in workflow["jobs"]["conformance"]
    assert set(workflow["env"]) >= {"CAMPFIRE_TARGET_URL", "CAMPFIRE_TARGET_TOKEN"}
    assert workflow["env"]["CAMPFIRE_ALLOW_INCOMPLETE"] == "no", "exit 2 must fail the job unless the user opts out"


def test_both_jobs_pass_against_a_stand_in_and_write_what_they_upload(clone, workflow, tmp_path):
    """The two jobs at once, as GitHub runs them; the nightly fuzz with a tiny budget."""
    summaries = {job: tmp_path / f"{job}.md" for job in ("conformance", "fuzz")}
    variables = {**UNPACED, "FUZZ_EXAMPLES": "1", "FUZZ_MAX_TIME": "15"}
    with ThreadPoolExecutor(2) as pool:
        runs = {
            job: pool.submit(run_job, clone, workflow, job, secrets_of(stand_in("a")), variables, summaries[job])
            for job in summaries
        }
    for job, run in runs.items():
        result = run.result()
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        assert f"**{job}: CONFORMS** against {stand_in('a').url}" in summaries[job].read_text()
        for path in uploaded(workflow, job):
            assert (clone / path).exists(), path
    assert "CONFORMS" in runs["conformance"].result().stdout
    assert "<h1>CONFORMS</h1>" in (clone / "reports/conformance.html").read_text()
    assert (clone / "reports/conformance.xml").stat().st_size > 0
    assert "--max-examples 1 --max-time 15" in runs["fuzz"].result().stdout  # make echoes the command it runs
    assert "Deep-state coverage" in (clone / "reports/fuzz/report.html").read_text()


def test_missing_secrets_fail_the_job_saying_which(clone, workflow, tmp_path):
    summary = tmp_path / "summary.md"
    result = run_job(clone, workflow, "conformance", {}, {}, summary)
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        "::error title=conformance: nothing proven::ERROR: set the repository secrets CAMPFIRE_TARGET_URL"
        in result.stdout
    )
    assert "**conformance: nothing proven**: ERROR: set the repository secrets" in summary.read_text()
    assert "local stand-in" not in result.stdout + result.stderr  # it never checks a stand-in of its own instead


def test_a_view_only_token_fails_the_job_unless_the_workflow_opts_out(clone, workflow, tmp_path):
    """INCOMPLETE (exit 2) is no pass; the one line CAMPFIRE_ALLOW_INCOMPLETE: "yes" makes it a warning."""
    server = stand_in("a")
    secrets = {"CAMPFIRE_TARGET_URL": server.url, "CAMPFIRE_TARGET_TOKEN": server.view_only_token}
    failed = run_job(clone, workflow, "conformance", secrets, UNPACED, tmp_path / "failed.md")
    assert failed.returncode == 2, failed.stdout[-3000:] + failed.stderr[-3000:]
    assert "INCOMPLETE: " in failed.stdout and "the token cannot void: it is view-only" in failed.stdout
    assert "::error title=conformance: nothing proven::INCOMPLETE or ERROR" in failed.stdout
    lenient = {**workflow, "env": {**workflow["env"], "CAMPFIRE_ALLOW_INCOMPLETE": "yes"}}
    allowed = run_job(clone, lenient, "conformance", secrets, UNPACED, tmp_path / "allowed.md")
    assert allowed.returncode == 0 and "::warning title=conformance: nothing proven::" in allowed.stdout


@pytest.mark.parametrize(
    "command, code",
    [
        (["false"], 1),
        (["bash", "-c", "exit 2"], 2),
        (["bash", "-c", "echo '{\"exit_code\": 1}' > s.json; exit 2"], 1),
        (["bash", "-c", "echo '{\"exit_code\": 2}' > s.json; exit 2"], 2),
        (["bash", "-c", "echo '{\"exit_code\": 0}' > s.json; exit 0"], 0),
    ],
)
def test_only_exit_0_passes_the_job_even_through_make(clone, tmp_path, command, code):
    """The verdict of both jobs; `make` turns exit 1 into 2, so the fuzz step reads the command's
    own code from its summary."""
    env = {
        **os.environ,
        "CAMPFIRE_TARGET_URL": "http://example.invalid",
        "CAMPFIRE_TARGET_TOKEN": "t",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    result = subprocess.run(
        [str(clone / ".github/scripts/verdict.sh"), "fuzz", "--exit-code-from", "s.json", "--", *command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == code, result.stdout + result.stderr
    assert ("::error title=fuzz: DOES NOT CONFORM::" in result.stdout) == (code == 1)
    assert ("::error title=fuzz: nothing proven::INCOMPLETE or ERROR" in result.stdout) == (code == 2)
