"""`campfire-conformance compare`: the same scenario on two deployments, step by step, and what
their answers differ in (conformance.drift). The use: keep the stand-in faithful to staging, and
catch a deployment that changed behaviour without a schema change.

The scenario provisions four paid invoices the harness's way (and voids nothing else), sends the
refusals while the payments are still unvoided, voids with each body form, voids one payment
again, and reads back the invoice, its payments and the reversing journal entry. Then it sends
the generic requests (conformance.generic_steps: what DRF answers for any view), each aimed at a
payment the run created on that side. Besides the answers' bodies, it compares the headers a
client acts on (WWW-Authenticate, Allow, Location). Exit 0 when no difference remains that the
known-deviations file does not cover, 1 otherwise, 2 when the scenario could not run on one side.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from . import deviations as deviation_rules
from . import drift, generic_steps, html_report
from .exchanges import Exchange, Recorder, pretty, secrets
from .provisioning import Provisioner
from .results_document import now
from .steps import UNKNOWN_ID, void
from .target import Settings, Target, TargetUnreachable

SAME, DIFFERENT, COULD_NOT_RUN = 0, 1, 2
INVALID_TOKEN = "invalid-compare-token"


@dataclass
class Side:
    settings: Settings
    recorder: Recorder
    steps: list[str]
    operation_of: Callable[[str, str], str]  # (method, path) -> operationId
    stopped: str = ""  # why the scenario stopped early on this side


def scenario(target: Target, provisioner: Provisioner, recorder: Recorder):
    """(step name, action) in order; each action sends the step's requests through `target`."""
    pairs, voided = [], {}

    def pay():
        pairs.append(provisioner.payment("manual"))

    def void_step(index, *, invoice_of=None, payment=None, **kwargs):
        def act():
            invoice_id, payment_id = pairs[index]
            invoice_id = pairs[invoice_of][0] if invoice_of is not None else invoice_id
            response = void(target, provisioner, invoice_id, payment or payment_id, **kwargs)
            if response.status_code == 200:
                voided.setdefault("answer", response.json())

        return act

    def reversing_entry():
        entry = (voided.get("answer") or {}).get("voided_journal_entry")
        if isinstance(entry, int):
            target.request("GET", f"/coa/api/journal_entry/{entry}")

    day = provisioner.day(-1)
    return [
        ("look up an entity, a customer and a bank account", provisioner.lookups),
        *[(f"create and pay invoice {n}", pay) for n in (1, 2, 3, 4)],
        ("refused: void_date that is not a date", void_step(0, json={"void_date": "not-a-date"})),
        ("refused: void without a token", void_step(0, anonymous=True)),
        ("refused: void with an invalid token", void_step(0, token=INVALID_TOKEN)),
        ("refused: void an unknown payment", void_step(0, payment=UNKNOWN_ID)),
        ("refused: void a payment of another invoice", void_step(1, invoice_of=0)),
        ("void with a JSON body", void_step(0, json={"void_date": day})),
        ("refused: void the same payment again", void_step(0)),
        ("void with a form body", void_step(1, data={"void_date": day})),
        ("void with a multipart body", void_step(2, files={"void_date": (None, day)})),
        ("void without a body (today)", void_step(3)),
        ("read back the invoice", lambda: target.request("GET", f"/coa/api/v1/invoice/{pairs[0][0]}/")),
        (
            "read back its payments",
            lambda: target.request(
                "GET", "/coa/api/v1/invoice-payments", params={"invoice_id": pairs[0][0], "limit": 100}
            ),
        ),
        ("read back the reversing journal entry", reversing_entry),
        *generic_steps.steps(target, provisioner, recorder, day),
    ]


def play(settings: Settings, variable_prefix: str) -> Side:
    """Run the scenario on one deployment; its exchanges are kept by step. Raises
    TargetUnreachable when it does not answer or refuses the token."""
    recorder = Recorder(secrets(settings, variable_prefix))
    settings.observer = recorder
    target = Target(settings)
    side = Side(
        settings, recorder, [], lambda method, path: target.contract.operation(method, path)[0] or "unknown operation"
    )
    try:
        target.probe()
        target.detect_mock()
        for name, action in scenario(target, Provisioner(target), recorder):
            recorder.label = name
            side.steps.append(name)
            try:
                action()
            except TargetUnreachable:
                raise
            except Exception as exc:  # an answer the scenario cannot go on from: say where, no traceback
                side.stopped = f"stopped at '{name}': {type(exc).__name__}: {exc}"
                break
    finally:
        target.close()
    return side


def run(base: Settings, against: Settings, accepted: list, html=None, echo=print) -> int:
    """Play the scenario on both, print the differences, write the HTML report; the exit code.
    The view-only requests go to both deployments or to neither."""
    if not (base.view_only_token and against.view_only_token):
        base, against = replace(base, view_only_token=None), replace(against, view_only_token=None)
    document = compare(play(base, "CAMPFIRE_TARGET"), play(against, "CAMPFIRE_AGAINST"), accepted)
    echo(text(document))
    if html:
        html_report.write(html, document)
    return exit_code(document)


def _answer(exchange: Exchange | None, target: str) -> dict:
    if exchange is None:
        return {
            "target": target,
            "status": "(not sent)",
            "response": "",
            "content_type": "",
            "body": None,
            "headers": {},
        }
    headers = {name: value.replace(target.rstrip("/"), "") for name, value in exchange.headers.items()}  # Location
    return {
        "target": target,
        "status": exchange.status,
        "content_type": exchange.content_type,
        "body": exchange.body,
        "headers": headers,
        "response": pretty(exchange.response_text),
    }


def compare(base: Side, against: Side, accepted: list) -> dict:
    """The compare document: per step, the differences (new and accepted) and both answers."""
    names = (base.settings.base_url, against.settings.base_url)
    steps = []
    for name in base.steps:
        mine, theirs = base.recorder.in_step(name), against.recorder.in_step(name)
        found, answers = [], []
        for index in range(max(len(mine), len(theirs))):
            a = mine[index] if index < len(mine) else None
            b = theirs[index] if index < len(theirs) else None
            request = (a or b).method + " " + (a or b).path
            operation = base.operation_of((a or b).method, (a or b).path)
            first, second = _answer(a, names[0]), _answer(b, names[1])
            answers.append({"request": request, "base": first, "against": second})
            if a is None or b is None:
                found.append(
                    drift.Difference(
                        name,
                        operation,
                        "request_count",
                        "$",
                        f"{names[0]} sent {len(mine)} request(s) in this step, {names[1]} {len(theirs)}",
                    )
                )
                break
            found += drift.differences(name, operation, first, second, names)
        new, covered = deviation_rules.split(found, accepted)
        for answer in answers:
            for side in (answer["base"], answer["against"]):
                side.pop("body"), side.pop("headers")
        steps.append(
            {
                "step": name,
                "differences": [_difference(d) for d in new],
                "accepted": [{**_difference(d), "accepted": f"{v.accepted} ({v.why})"} for d, v in covered],
                "answers": answers,
            }
        )
    stopped = [f"{side.settings.base_url}: {side.stopped}" for side in (base, against) if side.stopped]
    totals = Counter("differs" if s["differences"] else "accepted" if s["accepted"] else "same" for s in steps)
    verdict = "COULD NOT RUN" if stopped else "BEHAVIOUR DIFFERS" if totals["differs"] else "SAME BEHAVIOUR"
    return {
        "kind": "compare",
        "base": names[0],
        "against": names[1],
        "verdict": verdict,
        "stopped": stopped,
        "finished_at": now(),
        "seconds": round(max(base.recorder.seconds, against.recorder.seconds), 1),
        "requests": len(base.recorder.exchanges) + len(against.recorder.exchanges),
        "generic_requests": sum(name.startswith(generic_steps.PREFIX) for name in base.steps),
        "totals": {status: totals[status] for status in ("differs", "accepted", "same")},
        "steps": steps,
    }


def _difference(difference: drift.Difference) -> dict:
    return {
        "rule": difference.rule,
        "operation": difference.operation,
        "json_path": difference.json_path,
        "message": difference.message,
    }


def exit_code(document: dict) -> int:
    if document["stopped"]:
        return COULD_NOT_RUN
    return DIFFERENT if document["totals"]["differs"] else SAME


def text(document: dict) -> str:
    """The terminal summary: each step that differs, with each difference, then the verdict."""
    lines = [
        (
            f"Compared {document['base']} with {document['against']}: {len(document['steps'])} steps, "
            f"{document['requests']} requests ({document['generic_requests']} generic requests to each), "
            f"{document['seconds']}s"
        ),
        "",
    ]
    for step in document["steps"]:
        for difference in step["differences"]:
            lines.append(
                f"DIFFERS  {step['step']}: [{difference['rule']}] {difference['operation']} at "
                f"{difference['json_path']}: {difference['message']}"
            )
        for difference in step["accepted"]:
            lines.append(
                f"accepted {step['step']}: [{difference['rule']}] {difference['operation']} at "
                f"{difference['json_path']}: {difference['message']} -- {difference['accepted']}"
            )
    lines += [f"could not run: {reason}" for reason in document["stopped"]]
    totals = document["totals"]
    lines += [
        "",
        f"{document['verdict']}: {totals['differs']} step(s) differ, {totals['accepted']} differ as accepted, "
        f"{totals['same']} the same",
    ]
    return "\n".join(lines)
