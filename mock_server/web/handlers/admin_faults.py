"""Admin API: faults and delays on the public API (/_mock/faults); the rules are in web/faults.py."""

import re

from ...domain.errors import InvalidField
from ..facts import token_sha256
from ..faults import rules_of

MAX_RULES = 100  # per scope: matching every request against them stays cheap
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
HEADER_VALUE = re.compile(r"[\x20-\x7e\xa0-\xff]*")


def _rule(body: dict) -> dict:
    """The rule as stored: the token replaced by its hash, the defaults filled in."""
    rule = {
        "operation": body.get("operation"),
        "path": body.get("path"),
        "method": body.get("method"),
        "organization_id": body.get("organization_id"),
        "token_sha256": token_sha256(body["token"]) if body.get("token") else None,
        "action": body.get("action") or "respond",
        "status": body.get("status"),
        "body": body.get("body"),
        "headers": body.get("headers"),
        "delay_ms": body.get("delay_ms") or 0,
        "delay_max_ms": body.get("delay_max_ms"),
        "times": body.get("times"),
        "probability": body.get("probability", 1),
        "seed": body.get("seed") or 0,
    }
    if rule["action"] == "respond":
        rule["status"] = rule["status"] or 503
    if any(
        not HEADER_NAME.fullmatch(name) or not HEADER_VALUE.fullmatch(value)
        for name, value in (rule["headers"] or {}).items()
    ):
        raise InvalidField("headers", "Header names are HTTP tokens; values are printable Latin-1 without line breaks.")
    if rule["operation"] is None and rule["path"] is None:
        raise InvalidField("operation", "Give an operationId or a path (globs allowed: * matches everything).")
    if rule["action"] != "respond" and (rule["status"] or rule["body"] is not None or rule["headers"]):
        raise InvalidField("action", "status, body and headers are for the respond action.")
    if rule["delay_max_ms"] is not None and rule["delay_max_ms"] < rule["delay_ms"]:
        raise InvalidField("delay_max_ms", "Must be at least delay_ms.")
    return rule


def mock_list_api_faults(standin, call):
    return rules_of(standin).listing()


def mock_add_api_fault(standin, call):
    rule = _rule(call.body())
    with standin.ledger.read() as store:
        if store.api_fault_count() >= MAX_RULES:
            raise InvalidField(
                "operation",
                f"At most {MAX_RULES} fault rules may exist at once; remove them first (DELETE /_mock/faults).",
            )
    return rules_of(standin).add(rule), 201


def mock_clear_api_faults(standin, call):
    rules = rules_of(standin)
    rules.clear()
    return rules.listing()
