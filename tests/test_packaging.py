"""The package as someone else's project meets it: the wheel, installed into a fresh virtualenv
beside a client's older httpx and click, without the harness, running a client's own test suite
(with its own `fixtures` package) under `pytest -W error`."""

import itertools
import os
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
UV = [sys.executable, "-m", "uv"]
CLIENT_PINS = ["httpx==0.27.2", "click==8.1.7"]  # what an older client project keeps
LOCKED = ROOT / "requirements.lock"

CLIENT_FILES = {
    "tests/fixtures/__init__.py": 'INVOICE_LINE = {"description": "Consulting", "amount": 250.00, "tax": 20.00}\n',
    "tests/test_voids.py": """
        import httpx
        import pytest

        from fixtures import INVOICE_LINE  # the client's own package, not the stand-in's dataset


        def test_a_void_through_the_plugin(campfire_standin):
            token = campfire_standin.token("admin", 1)
            with httpx.Client(base_url=campfire_standin.base_url, headers={"Authorization": f"Token {token}"}) as api:
                customer = api.get("/coa/api/vendor").json()["results"][0]["id"]
                invoice = api.post("/coa/api/v1/invoice/", json={
                    "entity": 1, "client": customer, "invoice_date": "2026-07-01", "due_date": "2026-07-31",
                    "lines": [INVOICE_LINE]}).json()
                paid = campfire_standin.create_payment(invoice["id"], "stripe", 270.00, payment_date="2026-07-05")
                voided = api.post(f"/coa/api/v1/invoice/{invoice['id']}/payment/{paid['id']}/void/", json={})
            assert voided.status_code == 200, voided.text
            assert campfire_standin.invariants()["healthy"]


        @pytest.mark.campfire_empty
        def test_an_empty_ledger(campfire_standin):
            assert campfire_standin.tokens == []
    """,
}


def run(command, **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False, **options)


def lock_without(names) -> list[str]:
    """requirements.lock's lines less the packages the client pins itself (for a constraints file)."""
    return [
        line
        for line in LOCKED.read_text().splitlines()
        if line and not line.startswith("#") and line.split("==")[0] not in names
    ]


def test_the_lock_pins_every_dependency_within_its_range():
    """make install installs requirements.lock without resolving: it must honour pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    locked = {
        canonicalize_name(name): Version(version)
        for name, version in (line.split()[0].split("==") for line in lock_without(()))
    }
    declared = [
        Requirement(text)
        for text in itertools.chain(project["dependencies"], *project["optional-dependencies"].values())
    ]
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        if name != canonicalize_name(project["name"]):
            assert name in locked and locked[name] in requirement.specifier, (str(requirement), locked.get(name))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ]
    )
    assert built.returncode == 0, built.stderr
    return next(out.glob("*.whl"))


@pytest.fixture(scope="module")
def client_env(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv with the wheel, the client's pins and pytest (the rest as locked)."""
    venv = tmp_path_factory.mktemp("client") / "venv"
    constraints = venv.parent / "constraints.txt"
    constraints.write_text("\n".join(lock_without({"httpx", "click"})) + "\n")
    created = run([*UV, "venv", "--quiet", "--python", sys.executable, str(venv)])
    assert created.returncode == 0, created.stderr
    installed = run(
        [
            *UV,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            "-c",
            str(constraints),
            str(wheel),
            *CLIENT_PINS,
            "pytest",
        ]
    )
    assert installed.returncode == 0, installed.stderr
    return venv


def test_a_client_only_wanting_the_plugin_resolves_with_older_httpx_and_click_and_no_harness(wheel, tmp_path):
    resolved = run(
        [*UV, "pip", "compile", "--quiet", "--no-header", "--python-version", "3.11", "-"],
        input=f"campfire-void-standin @ {wheel.as_uri()}\n" + "\n".join(CLIENT_PINS) + "\n",
        cwd=tmp_path,
    )
    assert resolved.returncode == 0, resolved.stderr
    names = {line.split("==")[0] for line in resolved.stdout.splitlines() if "==" in line}
    assert {"httpx==0.27.2", "click==8.1.7"} <= set(resolved.stdout.split())
    assert not names & {"schemathesis", "hypothesis", "openapi-core", "psycopg"}, sorted(names)


def test_a_client_suite_with_its_own_fixtures_package_passes_under_w_error(client_env, tmp_path):
    for name, source in CLIENT_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(source))
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "CAMPFIRE_"))}
    suite = run(
        [str(client_env / "bin" / "python"), "-m", "pytest", "-W", "error", "-p", "no:cacheprovider", "-q", "tests"],
        cwd=tmp_path,
        env=env,
    )
    assert suite.returncode == 0, suite.stdout + suite.stderr
    assert "2 passed" in suite.stdout and "warning" not in suite.stdout.lower(), suite.stdout


def test_without_the_harness_campfire_conformance_says_how_to_install_it(client_env):
    answer = run([str(client_env / "bin" / "campfire-conformance")])
    assert answer.returncode == 2
    assert answer.stdout == ""
    assert answer.stderr == (
        "campfire-conformance: the harness needs schemathesis, openapi_core; install it "
        "with: pip install 'campfire-void-standin[harness]'\n"
    )


def test_the_stand_in_command_runs_with_the_older_click(client_env):
    answer = run([str(client_env / "bin" / "campfire-mock"), "serve", "--help"])
    assert answer.returncode == 0, answer.stderr
    assert "--max-sandboxes" in answer.stdout
