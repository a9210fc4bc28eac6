"""`campfire-conformance fuzz`: Schemathesis against the contract, with real ids in the deep states.

Before the run it provisions disposable payments (the harness's provisioners) and writes a
context file for conformance.fuzz_hooks; it then runs `st run` on one document holding the seed
operation and the companion operations (each checked by its own document's schemas), with links
that chain create -> pay -> void -> void again -> read back. The hooks keep a voidable payment
for every void case they rewrite, making one when none is left: the refills follow the run's own
size (--max-examples, --max-time), capped only by --max-requests when it is given. After the run
it measures how many voids were answered 200, says when the pool ran out, and, on the stand-in,
checks the ledger invariants. A run that sent no void, or had none answered 200, proved nothing
about the void: INCOMPLETE, never a pass.
"""

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import click
import yaml

from mock_server import spec

from . import cassette
from .provisioning import CannotGoOn, NotProvisionable, Provisioner
from .target import Settings, Target
from .verdict import CONFORMS, DOES_NOT_CONFORM, INCOMPLETE, INTERRUPTED, Verdict

# Checks of every run; status_code_conformance is left out: the seed documents only a 200, so it
# would flag every 4xx the contract's semantics require (401, 403, 404, 400).
EXCLUDED_CHECKS = "status_code_conformance"
STAND_IN_KINDS = ("manual", "stripe", "credit_memo", "bank", "fx")


@dataclasses.dataclass
class FuzzOptions:
    max_examples: int = 30
    max_time: int | None = None
    phases: str = "examples,coverage,fuzzing,stateful"
    pool: int | None = None
    seed: int | None = None
    workers: int = 1
    report_dir: Path = Path("reports/fuzz")
    request_cap: int | None = None  # --max-requests when given: the most requests the refills may send


# Links between operations of different documents, which neither document can hold alone.
CROSS_DOCUMENT_LINKS = {
    ("/coa/api/v1/invoice/{invoice_id}/pay/", "post", "200"): {
        "VoidThePayment": {
            "operationId": spec.VOID_OPERATION_ID,
            "parameters": {"invoice_id": "$request.path.invoice_id", "payment_id": "$response.body#/payment_ids/0"},
        }
    },
    (spec.VOID_PATH, "post", "200"): {
        "VoidAgain": {
            "operationId": spec.VOID_OPERATION_ID,
            "parameters": {"invoice_id": "$request.path.invoice_id", "payment_id": "$request.path.payment_id"},
        },
        "ReadBackTheInvoice": {
            "operationId": "coa_api_v1_invoice_retrieve",
            "parameters": {"id": "$response.body#/invoice"},
        },
    },
}
COMPANION_PREFIX = "Companion"


def _references(node) -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_references(v) for v in node.values())) | (
            {node["$ref"].split("/")[-1]} if isinstance(node.get("$ref"), str) else set()
        )
    if isinstance(node, list):
        return set().union(*(_references(v) for v in node))
    return set()


def _renamed(node, renames: dict):
    """`node` with its references to renamed schemas pointing at the new names."""
    if isinstance(node, dict):
        return {
            key: (
                f"#/components/schemas/{renames[value.split('/')[-1]]}"
                if key == "$ref" and value.split("/")[-1] in renames
                else _renamed(value, renames)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed(value, renames) for value in node]
    return node


def _clashes(seed_schemas: dict, companion_schemas: dict) -> dict:
    """Companion schema -> new name, for each one the seed defines differently (or that reaches
    one that differs): the seed keeps its names, so the void is checked by its own schemas."""
    differ = {
        name for name in companion_schemas if name in seed_schemas and seed_schemas[name] != companion_schemas[name]
    }
    while True:
        reaching = {
            name
            for name in companion_schemas
            if name in seed_schemas and name not in differ and _references(companion_schemas[name]) & differ
        }
        if not reaching:
            break
        differ |= reaching
    renames = {}
    for name in sorted(differ):
        new = COMPANION_PREFIX + name
        while new in seed_schemas or new in companion_schemas:
            new = COMPANION_PREFIX + new
        renames[name] = new
    return renames


def fuzz_document(base_url: str) -> dict:
    """The seed operation and the companion operations in one document, each validated by the
    schemas of its own document (a clash is renamed, never overwritten), with the links that
    chain create -> pay -> void -> void again -> read back."""
    seed, companion = spec.load(spec.VOID), spec.load(spec.COMPANION)
    schemes = seed["components"]["securitySchemes"]
    if companion["components"]["securitySchemes"] != schemes:
        raise ValueError("the seed and the companion declare different security schemes")
    renames = _clashes(seed["components"]["schemas"], companion["components"]["schemas"])
    companion = _renamed(companion, renames)
    companion_schemas = {renames.get(name, name): schema for name, schema in companion["components"]["schemas"].items()}
    paths = {path: dict(item) for path, item in companion["paths"].items()}
    for path, item in seed["paths"].items():
        overlap = set(paths.get(path, {})) & set(item)
        if overlap:
            raise ValueError(f"both documents define {', '.join(sorted(overlap))} {path}")
        paths.setdefault(path, {}).update(item)
    for (path, method, status), links in CROSS_DOCUMENT_LINKS.items():
        paths[path][method]["responses"][status].setdefault("links", {}).update(links)
    return {
        **seed,
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": {**companion_schemas, **seed["components"]["schemas"]}, "securitySchemes": schemes},
    }


SCHEMATHESIS_CONFIG = """\
# Written by campfire-conformance fuzz. The token is read from the environment, never written.
headers = {{ Authorization = "Token ${{CAMPFIRE_FUZZ_TOKEN}}" }}

[generation]
max-examples = {examples}

[[operations]]
# The operation under contract gets five times the examples of its companions.
include-operation-id = "coa_api_v1_invoice_payment_void_create"
generation.max-examples = {void_examples}

[checks.positive_data_acceptance]
# A body the schema allows may still break a business rule (amount over the amount due, a void
# date before the payment): that is a 4xx, never a 5xx.
expected-statuses = ["2XX", "400", "401", "403", "404"]

[checks.negative_data_rejection]
# DRF reads a blank form field as null, so a blank void_date in a form means "today"
# (the contract's default) instead of an invalid date: recorded here, accepted.
expected-statuses = ["400", "401", "403", "404", "405", "415", "2XX"]
"""


def _provision(target: Target, count: int) -> tuple[Provisioner, list]:
    provisioner = Provisioner(target)
    kinds = STAND_IN_KINDS if target.is_mock else ("manual",)
    pairs = []
    with click.progressbar(range(count), label=f"Provisioning {count} payments to void", file=sys.stderr) as bar:
        for index in bar:
            try:
                pairs.append(provisioner.payment(kinds[index % len(kinds)]))
            except NotProvisionable as exc:
                raise CannotGoOn(f"cannot provision payments to void: {exc}") from exc
    return provisioner, pairs


def _judge(code: int, counts: dict, healthy: bool, interrupted: bool) -> Verdict:
    """The fuzz run's verdict from Schemathesis' exit code, the cassette's counts and the ledger."""
    cut_short = [f"{INTERRUPTED} (Ctrl-C)"] if interrupted else []
    if code == 1 or not healthy:
        return Verdict(
            DOES_NOT_CONFORM,
            (["Schemathesis found failures"] if code == 1 else [])
            + ([] if healthy else ["the ledger's invariants are violated"])
            + cut_short,
        )
    if cut_short:
        return Verdict(INCOMPLETE, cut_short)
    if code != 0:
        return Verdict(INCOMPLETE, [f"Schemathesis stopped with exit code {code}; see its output"])
    if not counts["voids"]:
        return Verdict(INCOMPLETE, ["the budget ran out before any void was sent: raise --max-examples or --max-time"])
    if not counts["void_200"]:
        return Verdict(
            INCOMPLETE,
            [(f"none of the {counts['voids']} voids sent was answered 200: the void's deep states were never reached")],
        )
    return Verdict(CONFORMS)


def _pool_line(pairs: list, refills: dict) -> str:
    line = (
        f"Payments to void: {len(pairs)} provisioned before the run, {refills['created']} made during it as voids "
        f"used them up"
    )
    if refills.get("dry"):
        line += f"; the pool RAN OUT: {refills['dry']} void case(s) found no voidable payment" + (
            f" (refilling stopped: {refills['stopped']})" if refills["stopped"] else ""
        )
    elif refills["stopped"]:
        line += f" (refilling stopped: {refills['stopped']})"
    return line + "."


def run(settings: Settings, options: FuzzOptions) -> Verdict:
    started = time.perf_counter()
    # Schemathesis checks the run's answers; the harness's own requests only set it up.
    settings = dataclasses.replace(settings, check_contract=False)
    target = Target(settings)
    target.probe()
    is_mock = target.detect_mock()
    count = options.pool or (300 if is_mock else 20)
    provisioner, pairs = _provision(target, count)
    lookups = provisioner.lookups()
    out = options.report_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    schema_path, context_path, recording = out / "schema.yaml", out / "context.json", out / "cassette.yaml"
    schema_path.write_text(yaml.safe_dump(fuzz_document(settings.base_url), sort_keys=False))
    (out / "schemathesis.toml").write_text(
        SCHEMATHESIS_CONFIG.format(examples=options.max_examples, void_examples=options.max_examples * 5)
    )
    context_path.write_text(
        json.dumps(
            {
                "pairs": pairs,
                "is_mock": is_mock,
                "run_id": provisioner.run_id,
                "entity": lookups["entity"]["id"],
                "customer": lookups["customer"]["id"],
                "account": lookups["account"]["id"],
                "payment_date": provisioner.day(-5),
                "base_url": settings.base_url,
                "max_rps": settings.max_rps,
                "today": provisioner.today.isoformat(),
                "lookups": lookups,
                "refill_budget": options.request_cap - target.requests_sent if options.request_cap else None,
            }
        )
    )
    (out / "refills.json").unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(out / "schemathesis.toml"),
        "run",
        str(schema_path),
        "--url",
        settings.base_url,
        "--phases",
        options.phases,
        "--checks",
        "all",
        "--exclude-checks",
        EXCLUDED_CHECKS,
        "--continue-on-failure",
        "--workers",
        str(options.workers),
        "--report",
        "junit,vcr",
        "--report-junit-path",
        str(out / "junit.xml"),
        "--report-vcr-path",
        str(recording),
        "--request-timeout",
        "30",
        "--output-sanitize",
        "true",
        "--generation-database",
        "none",
    ]
    if options.max_time:
        command += ["--max-time", str(options.max_time)]
    if options.seed is not None:
        command += ["--seed", str(options.seed)]
    if not is_mock and settings.max_rps:
        command += ["--rate-limit", f"{int(max(settings.max_rps, 1))}/s"]
    environment = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "conformance.fuzz_hooks",
        "CAMPFIRE_FUZZ_CONTEXT": str(context_path),
        "CAMPFIRE_FUZZ_TOKEN": settings.token,
    }  # Schemathesis' header and the hooks' refills; never in a file
    click.echo(
        f"Fuzzing {settings.base_url} ({'the stand-in' if is_mock else 'a deployment'}) with {len(pairs)} payments to void",
        err=True,
    )
    interrupted = False
    try:
        code = subprocess.run(command, env=environment, cwd=out).returncode  # its cache lands in the report dir
    except KeyboardInterrupt:
        code, interrupted = 2, True
    counts = cassette.stats(recording)
    share = counts["void_200"] / counts["requests"] if counts["requests"] else 0.0
    of_voids = counts["void_200"] / counts["voids"] if counts["voids"] else 0.0
    click.echo(
        f"\nDeep-state coverage: {counts['void_200']} of {counts['requests']} requests ({share:.1%}) were a void "
        f"answered 200; {of_voids:.0%} of the {counts['voids']} voids sent."
    )
    refills = (
        json.loads((out / "refills.json").read_text())
        if (out / "refills.json").exists()
        else {"created": 0, "stopped": ""}
    )
    refills["line"] = _pool_line(pairs, refills)
    (out / "refills.json").write_text(json.dumps(refills))  # for the report (results_document.fuzz)
    click.echo(refills["line"])
    failures = cassette.keep_failures(recording, out / "failures.yaml") if recording.exists() else 0
    healthy = True
    if is_mock:
        report = target.admin("GET", "/invariants").json()
        for violation in report["violations"]:
            click.echo(f"LEDGER INVARIANT VIOLATED: {violation['invariant']}: {violation['detail']}")
        click.echo("Ledger invariants after the run: " + ("hold" if report["healthy"] else "VIOLATED"))
        healthy = report["healthy"]
    click.echo(
        f"Reports: {out / 'junit.xml'}, every request in {recording}, the {failures} failing one(s) in "
        f"{out / 'failures.yaml'} (replay: campfire-conformance replay {out / 'failures.yaml'}). "
        f"{time.perf_counter() - started:.1f}s"
    )
    target.close()
    return _judge(code, counts, healthy, interrupted)
