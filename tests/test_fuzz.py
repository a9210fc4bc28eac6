"""`campfire-conformance fuzz`: the merged document keeps each document's schemas and links, the
pool of payments to void refills within the budget, and one bounded Schemathesis run finds the
defect planted in the stand-in, nothing else, reaches 200 voids, and its cassette replays."""

import contextlib
import importlib
import json
import re
import subprocess
import sys

import httpx
import schemathesis
import yaml
from click.testing import CliRunner
from openapi_spec_validator import validate

from conformance.cli import main
from conformance.fuzz import fuzz_document
from conformance.fuzz_pool import VoidablePool
from conformance.local import LocalStandIn
from conformance.provisioning import Provisioner
from conformance.target import Settings, Target
from mock_server import spec
from support import harness
from support.broken_targets import ServerErrorOnBadInput

PAY_PATH = "/coa/api/v1/invoice/{invoice_id}/pay/"


def _fuzz(url, token, report_dir, *extra, admin_token=None):
    admin = ["--admin-token", admin_token] if admin_token else []
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "conformance.cli",
            "--base-url",
            url,
            "--token",
            token,
            "--max-rps",
            "0",
            *admin,
            "fuzz",
            "--report-dir",
            str(report_dir),
            "--seed",
            "1",
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _schema_of(document, path, method, status):
    return document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"].split(
        "/"
    )[-1]


def test_the_fuzz_document_checks_each_operation_by_its_own_documents_schemas():
    document = fuzz_document("http://127.0.0.1:1")
    validate(document)
    seed, companion = yaml.safe_load(spec.VOID.read_text()), yaml.safe_load(spec.COMPANION.read_text())
    schemas = document["components"]["schemas"]
    void = _schema_of(document, "/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/", "post", "200")
    assert schemas[void] == seed["components"]["schemas"]["AccountingInvoicePayment"]
    invoice = schemas[_schema_of(document, "/coa/api/v1/invoice/{id}/", "get", "200")]
    in_invoice = schemas[invoice["properties"]["payments"]["items"]["$ref"].split("/")[-1]]
    assert "withheld_amount" in in_invoice["required"], "the companion's invoice payments lost withheld_amount"
    assert {name: schema for name, schema in schemas.items() if name in seed["components"]["schemas"]} == seed[
        "components"
    ]["schemas"], "a seed schema was overwritten"
    assert len(schemas) == len(seed["components"]["schemas"]) + len(companion["components"]["schemas"]) - 2, (
        "only the schemas both documents define identically (BlankEnum, NullEnum) are shared"
    )


def test_the_fuzz_document_and_the_companion_alone_have_valid_links():
    document = fuzz_document("http://127.0.0.1:1")
    links = document["paths"][PAY_PATH]["post"]["responses"]["200"]["links"]
    assert links["VoidThePayment"]["operationId"] == spec.VOID_OPERATION_ID
    for loaded in (
        document,
        {**yaml.safe_load(spec.COMPANION.read_text()), "servers": [{"url": "http://127.0.0.1:1"}]},
    ):
        # raises InvalidStateMachine ("Invalid OpenAPI Links Definition") when a link's target is missing
        schemathesis.openapi.from_dict(loaded).as_state_machine()


def test_the_pool_makes_a_voidable_payment_when_voids_use_them_up_within_the_budget():
    with (
        LocalStandIn() as stand_in,
        contextlib.closing(Target(Settings(stand_in.url, stand_in.token, max_rps=0))) as setup,
    ):
        lookups = Provisioner(setup).lookups()
        budget = Target(Settings(stand_in.url, stand_in.token, max_requests=4, max_rps=0))
        pool = VoidablePool([], Provisioner(budget, lookups=lookups))
        voided = []
        while (pair := pool.take()) is not None:
            assert pool.take() == pair, "a payment not voided yet is handed out again"
            answer = httpx.post(
                f"{stand_in.url}/coa/api/v1/invoice/{pair[0]}/payment/{pair[1]}/void/",
                headers={"Authorization": f"Token {stand_in.token}"},
            )
            assert answer.status_code == 200, answer.text
            pool.voided(pair)
            voided.append(pair)
        budget.close()
    assert pool.created == len(voided) == 2, "two payments fit in four requests (create invoice, mark paid)"
    assert "request budget of 4 reached" in pool.refill_stopped and pool.last_voided == voided[-1]


def test_a_bounded_fuzz_finds_exactly_the_planted_defect_and_its_cassette_replays_it(tmp_path):
    """One Schemathesis run of the stand-in with one defect planted (a void's 400 becomes a 500): it
    fails on that defect and on nothing else, keeps its pool of payments to void filled, reaches
    200 voids, leaves the ledger consistent, and the failing requests replay."""
    with LocalStandIn() as stand_in:
        with harness.broken(stand_in, ServerErrorOnBadInput) as broken:
            result = _fuzz(
                broken.url,
                stand_in.token,
                tmp_path,
                "--max-examples",
                "1",
                "--phases",
                "fuzzing,stateful",
                "--pool",
                "3",
                admin_token=stand_in.admin_token,
            )
            replayed = CliRunner().invoke(
                main, ["--base-url", broken.url, "--token", stand_in.token, "replay", str(tmp_path / "failures.yaml")]
            )
        healthy = CliRunner().invoke(
            main, ["--base-url", stand_in.url, "--token", stand_in.token, "replay", str(tmp_path / "failures.yaml")]
        )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert "curl -X POST" in output, "a reproduction command is printed for each failure"
    failing = yaml.safe_load((tmp_path / "failures.yaml").read_text())["http_interactions"]
    assert failing and {
        (i["request"]["method"], i["request"]["uri"].endswith("/void/"), i["response"]["status"]["code"])
        for i in failing
    } == {("POST", True, "500")}, "a failure other than the planted one"
    coverage = re.search(r"Deep-state coverage: (\d+) of (\d+) requests .*; (\d+)% of the (\d+) voids sent", output)
    assert coverage and int(coverage.group(1)) > 0, output[-3000:]
    made = re.search(r"Payments to void: 3 provisioned before the run, (\d+) made during it", output)
    assert made and int(made.group(1)) > 0, output[-3000:]
    assert "Ledger invariants after the run: hold" in output
    assert replayed.exit_code == 1 and "STILL FAILS" in replayed.stdout, replayed.output
    assert healthy.exit_code == 0 and "fixed" in healthy.stdout and "STILL FAILS" not in healthy.stdout, healthy.output


def test_a_method_the_void_does_not_define_is_not_taken_for_a_void(tmp_path, monkeypatch):
    """Found by `make fuzz`: Schemathesis sends OPTIONS to the void's path, DRF's metadata answers
    200, and the checks took that answer for a void (a 200 without voided_date, then a "second"
    void). A method the operation does not define is no operation of the hooks."""
    context = tmp_path / "context.json"
    context.write_text(json.dumps({"pairs": [], "is_mock": True, "refill_budget": 0}))  # no refills: no target
    monkeypatch.setenv("CAMPFIRE_FUZZ_CONTEXT", str(context))
    hooks = importlib.import_module("conformance.fuzz_hooks")
    operation = schemathesis.openapi.from_dict(spec.load(spec.VOID))[spec.VOID_PATH]["POST"]
    ids = {"invoice_id": 1, "payment_id": 2}
    assert hooks._operation_id(operation.Case(path_parameters=ids)) == hooks.VOID
    assert hooks._operation_id(operation.Case(method="OPTIONS", path_parameters=ids)) == ""
