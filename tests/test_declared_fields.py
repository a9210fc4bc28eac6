"""Every field of every answer is one the served documents declare: a client generated from the
documents, or a validator that refuses unknown fields (Specmatic, Dredd, Prism's proxy), meets
nothing it was not told about, and a client cannot come to rely on a field Campfire may not send."""

import pytest

from mock_server import spec

COMPANION = spec.parsed(spec.COMPANION)
SEED = spec.parsed(spec.VOID)


def _resolved(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
    if "allOf" in schema:
        parts = [_resolved(document, part) for part in schema["allOf"]]
        schema = {
            **schema,
            "properties": {key: value for part in parts for key, value in part.get("properties", {}).items()},
        }
    return schema


def undeclared(document: dict, schema: dict, value, where: str = "") -> list[str]:
    """The paths of `value`'s object keys that `schema` (resolved in `document`) does not declare."""
    schema = _resolved(document, schema)
    if isinstance(value, dict) and "properties" in schema:
        return [
            found
            for key, item in value.items()
            for found in (
                undeclared(document, schema["properties"][key], item, f"{where}.{key}")
                if key in schema["properties"]
                else [f"{where}.{key}"]
            )
        ]
    if isinstance(value, list):
        return [found for item in value for found in undeclared(document, schema.get("items", {}), item, f"{where}[]")]
    return []


def _answer_schema(document: dict, template: str, method: str, status: str) -> dict:
    return document["paths"][template][method]["responses"][status]["content"]["application/json"]["schema"]


READS = [
    "/coa/api/v1/invoice/",
    "/coa/api/v1/invoice/{id}/",
    "/coa/api/v1/invoice-payments",
    "/coa/api/journal_entry/{id}",
    "/coa/api/v1/credit-memo/{id}",
    "/coa/api/entity",
    "/coa/api/vendor",
    "/coa/api/account",
]


@pytest.mark.parametrize("template", READS)
def test_a_read_answers_only_declared_fields(live, template):
    response = live.get(template.replace("{id}", "2" if "invoice" in template else "1"))
    assert response.status_code == 200, response.text
    assert undeclared(COMPANION, _answer_schema(COMPANION, template, "get", "200"), response.json()) == []


def test_the_void_and_a_created_invoice_answer_only_declared_fields(live):
    created = live.create_invoice()
    assert undeclared(COMPANION, _answer_schema(COMPANION, "/coa/api/v1/invoice/", "post", "201"), created) == []
    payment = live.pay(created["id"], "stripe", 100.00)
    voided = live.void(created["id"], payment["id"])
    assert voided.status_code == 200, voided.text
    assert undeclared(SEED, _answer_schema(SEED, spec.VOID_PATH, "post", "200"), voided.json()) == []


def test_the_check_sees_an_undeclared_field():
    schema = {"type": "object", "properties": {"id": {"type": "integer"}}}
    assert undeclared(COMPANION, schema, {"id": 1, "books_closed_through": None}) == [".books_closed_through"]
