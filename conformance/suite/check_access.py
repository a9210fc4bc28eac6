"""Who may void what: 401, 403 and 404, and a refused request changes nothing."""

from conformance.contract import clip
from conformance.failure import expect
from conformance.plugin import not_applicable
from conformance.steps import UNKNOWN_ID, assert_unchanged, snapshot, void

RULES = {
    401: "only an authenticated caller may void: no token, or an invalid one, is refused with 401",
    403: "only a token allowed to void may void: a view-only token is refused with 403",
    404: "a void names a payment of the invoice in its path: an unknown invoice or payment, or a payment of "
    "another invoice, is refused with 404",
}


def _refused(response, status, found):
    expect(response.status_code == status, found, rule=RULES[status], expected=str(status), response=response)


def _refused_and_unchanged(target, invoice_id, payment_id, before, response, status):
    """The expected refusal, and the payment and invoice untouched."""
    _refused(response, status, f"expected {status}, got {response.status_code}: {clip(response.text, 200)}")
    assert_unchanged(target, invoice_id, payment_id, before)


def test_missing_token_is_401(target, provision, provisioner):
    invoice_id, payment_id = provision()
    before = snapshot(target, invoice_id, payment_id)
    response = void(target, provisioner, invoice_id, payment_id, anonymous=True)
    _refused_and_unchanged(target, invoice_id, payment_id, before, response, 401)


def test_invalid_token_is_401(target, provision, provisioner):
    invoice_id, payment_id = provision()
    before = snapshot(target, invoice_id, payment_id)
    response = void(target, provisioner, invoice_id, payment_id, token="invalid-conformance-token")
    _refused_and_unchanged(target, invoice_id, payment_id, before, response, 401)


def test_view_only_token_is_403(target, provision, provisioner):
    if not target.settings.view_only_token:
        not_applicable("no --view-only-token given")
    invoice_id, payment_id = provision()
    before = snapshot(target, invoice_id, payment_id)
    response = void(target, provisioner, invoice_id, payment_id, token=target.settings.view_only_token)
    _refused_and_unchanged(target, invoice_id, payment_id, before, response, 403)


def test_unknown_invoice_is_404(target, provision, provisioner):
    _, payment_id = provision()
    response = void(target, provisioner, UNKNOWN_ID, payment_id)
    _refused(response, 404, f"unknown invoice answered {response.status_code}")


def test_unknown_payment_is_404(target, provision, provisioner):
    invoice_id, _ = provision()
    response = void(target, provisioner, invoice_id, UNKNOWN_ID)
    _refused(response, 404, f"unknown payment answered {response.status_code}")


def test_payment_of_another_invoice_is_404(target, provision, provisioner):
    invoice_a, payment_a = provision()
    invoice_b, _ = provision()
    before = snapshot(target, invoice_a, payment_a)
    response = void(target, provisioner, invoice_b, payment_a)
    _refused_and_unchanged(target, invoice_a, payment_a, before, response, 404)
