"""spec/ serves the seed unchanged, and the served documents are what the app routes."""

import hashlib

import yaml

from mock_server import spec

# sha256 of the YAML block of the seed document (void-invoice-payment.md), taken when it was
# copied; .ci/run also diffs the file against the seed itself where the seed is available.
SEED_SHA256 = "1e78840604cceefa3471444cec0e55aa5c7828adf0cf209dec4d476593fdd88d"


def test_void_document_is_the_seed_byte_for_byte():
    assert hashlib.sha256(spec.VOID.read_bytes()).hexdigest() == SEED_SHA256


def test_seed_operation_is_served_with_its_operation_id(local):
    document = yaml.safe_load(spec.VOID.read_text())
    operation = document["paths"]["/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/"]["post"]
    assert operation["operationId"] == spec.VOID_OPERATION_ID
    served = local.http.get("/openapi/void-invoice-payment.json").json()
    assert served["paths"].keys() == document["paths"].keys()


def test_companion_covers_the_operations_a_client_needs():
    document = yaml.safe_load(spec.COMPANION.read_text())
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    assert operations == {
        ("POST", "/coa/api/v1/invoice/"),
        ("GET", "/coa/api/v1/invoice/"),
        ("GET", "/coa/api/v1/invoice/{id}/"),
        ("POST", "/coa/api/v1/invoice/{invoice_id}/pay/"),
        ("GET", "/coa/api/v1/invoice-payments"),
        ("GET", "/coa/api/journal_entry/{id}"),
        ("GET", "/coa/api/v1/credit-memo/{id}"),
        ("GET", "/coa/api/entity"),
        ("GET", "/coa/api/vendor"),
        ("GET", "/coa/api/account"),
    }
    referenced = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                referenced.add(node["$ref"].split("/")[-1])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document["paths"])
    walk(document["components"]["schemas"])
    assert referenced == set(document["components"]["schemas"]), "only the schemas the operations reach"


def test_swagger_ui_shows_the_void_operation(local):
    page = local.http.get("/ui/")
    assert page.status_code == 200 and "swagger" in page.text.lower()
    assert local.http.get("/_mock/ui/").status_code == 200


def test_every_document_passes_connexions_own_check():
    """The check the app skips at start-up (it takes a second) is run here, on each shipped document."""
    from connexion.spec import OpenAPISpecification

    for document in spec.DOCUMENTS:
        OpenAPISpecification._validate_spec(spec.load(document.path))
