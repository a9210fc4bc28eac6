"""Every refusal of the void operation, over real HTTP: the DRF body, and nothing changed."""

import threading

import pytest

from support.ledger import count, value


def _snapshot(api):
    return {
        table: count(api.state, table) for table in ("journal_entries", "journal_lines", "stripe_refunds", "payments")
    } | {"voided": count(api.state, "payments", "voided_date IS NOT NULL")}


@pytest.fixture
def paid(live):
    invoice = live.create_invoice()
    payment = live.pay(invoice["id"], "stripe", 270.00)
    return invoice["id"], payment["id"]


def _sent_with_authorization(value: str | None):
    """A void sent with this Authorization header (None: without one)."""
    headers = {} if value is None else {"Authorization": value}
    return lambda api, i, p: api.http.post(f"/coa/api/v1/invoice/{i}/payment/{p}/void/", headers=headers)


CASES = {
    "missing token": (
        _sent_with_authorization(None),
        401,
        {"detail": "Authentication credentials were not provided."},
    ),
    "invalid token": (
        _sent_with_authorization("Token nope"),
        401,
        {"detail": "Invalid token."},
    ),
    "another scheme": (
        _sent_with_authorization("Bearer abc"),
        401,
        {"detail": "Authentication credentials were not provided."},
    ),  # knox: another backend's
    "scheme alone": (
        _sent_with_authorization("Token"),
        401,
        {"detail": "Invalid token header. No credentials provided."},
    ),
    "token with spaces": (
        _sent_with_authorization("Token a b"),
        401,
        {"detail": "Invalid token header. Token string should not contain spaces."},
    ),
    "view-only": (
        lambda api, i, p: api.void(i, p, role="view_only"),
        403,
        {"detail": "You do not have permission to perform this action."},
    ),
    "unknown invoice": (lambda api, i, p: api.void(999999, p), 404, {"detail": "Not found."}),
    "unknown payment": (lambda api, i, p: api.void(i, 999999), 404, {"detail": "Not found."}),
    "payment of another invoice": (lambda api, i, p: api.void(i, api.other_payment), 404, {"detail": "Not found."}),
    "another tenant's invoice": (lambda api, i, p: api.void(i, p, organization=2), 404, {"detail": "Not found."}),
    "bad date": (
        lambda api, i, p: api.void(i, p, json={"void_date": "2026-13-01"}),
        400,
        {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ),
    "empty JSON string date": (
        lambda api, i, p: api.void(i, p, json={"void_date": ""}),
        400,
        {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ),
    "number as date": (
        lambda api, i, p: api.void(i, p, json={"void_date": 20260701}),
        400,
        {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ),
    "form bad date": (
        lambda api, i, p: api.void(i, p, data={"void_date": "yesterday"}),
        400,
        {"void_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]},
    ),
    "before payment date": (lambda api, i, p: api.void(i, p, json={"void_date": "2026-07-04"}), 400, None),
    "malformed JSON": (
        lambda api, i, p: api.void(i, p, content=b"{", headers={"Content-Type": "application/json"}),
        400,
        None,
    ),
    "null JSON body": (
        lambda api, i, p: api.void(i, p, content=b"null", headers={"Content-Type": "application/json"}),
        400,
        {"non_field_errors": ["No data provided"]},
    ),
    "non-UTF-8 JSON": (
        lambda api, i, p: api.void(
            i, p, content=b'{"void_date": "\xff"}', headers={"Content-Type": "application/json"}
        ),
        400,
        None,
    ),
    "multipart without boundary": (
        lambda api, i, p: api.void(i, p, content=b"x", headers={"Content-Type": "multipart/form-data"}),
        400,
        None,
    ),
    "text/plain": (lambda api, i, p: api.void(i, p, content=b"x", headers={"Content-Type": "text/plain"}), 415, None),
}


@pytest.mark.parametrize("case", CASES)
def test_refusals_change_nothing(live, paid, case):
    send, status, body = CASES[case]
    invoice_id, payment_id = paid
    other = live.create_invoice()
    live.other_payment = live.pay(other["id"], "manual", 1.00)["id"]  # a payment of another invoice
    before = _snapshot(live)
    invoice_before = live.invoice(invoice_id)
    response = send(live, invoice_id, payment_id)
    assert response.status_code == status, response.text
    if body is not None:
        assert response.json() == body
    else:
        assert isinstance(response.json(), dict) and response.json()
    assert _snapshot(live) == before
    assert live.invoice(invoice_id)["amount_due"] == invoice_before["amount_due"]


def test_404_wins_over_a_bad_body(live, paid):
    response = live.void(999999, paid[1], json={"void_date": "garbage"})
    assert response.status_code == 404


def test_already_voided(live, paid):
    assert live.void(*paid).status_code == 200
    second = live.void(*paid)
    assert second.status_code == 400 and second.json() == {"detail": "This payment has already been voided."}
    assert len([r for r in live.refunds() if r["payment_id"] == paid[1]]) == 1


def test_closed_period(live):
    # Northwind Japan (entity 3) has its books closed through 2026-03-31.
    payment = list(
        live.state.ledger.query(
            "SELECT p.id, p.invoice_id FROM payments p JOIN invoices i ON i.id = p.invoice_id"
            " WHERE i.entity_id = 3 AND p.voided_date IS NULL AND p.payment_date <= '2026-03-31' LIMIT 1"
        )[0].values()
    )
    response = live.void(payment[1], payment[0], json={"void_date": "2026-03-31"})
    assert response.status_code == 400 and "closed" in response.json()["void_date"][0]
    assert live.void(payment[1], payment[0], json={"void_date": "2026-04-01"}).status_code == 200


def test_stripe_failure_rolls_back_and_a_retry_succeeds(live, paid):
    for fault in ("decline", "api_error", "timeout"):
        live.http.post("/_mock/stripe/faults", headers=live.admin, json={"fault": fault})
        before = _snapshot(live)
        response = live.void(*paid)
        assert response.status_code == 502 and response.json()["detail"]
        assert _snapshot(live) == before
        assert live.invoice(paid[0])["status"] == "paid"
    response = live.void(*paid)
    assert response.status_code == 200
    assert len([r for r in live.refunds() if r["payment_id"] == paid[1]]) == 1
    attempts = live.http.get("/_mock/stripe/refund-attempts", headers=live.admin).json()
    assert [a["outcome"] for a in attempts if a["payment_id"] == paid[1]] == [
        "decline",
        "api_error",
        "timeout",
        "succeeded",
    ]
    assert live.invariants()["violations"] == []


def test_idempotency_key_replays_the_first_answer(live, paid):
    first = live.void(*paid, headers={"Idempotency-Key": "k-1"}, json={"void_date": "2026-07-10"})
    again = live.void(*paid, headers={"Idempotency-Key": "k-1"}, json={"void_date": "2026-07-10"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    misuse = live.void(paid[0], 999999, headers={"Idempotency-Key": "k-1"})
    assert misuse.status_code == 400
    assert len([r for r in live.refunds() if r["payment_id"] == paid[1]]) == 1


@pytest.mark.parametrize("same_key", [False, True])
def test_twenty_concurrent_voids_make_one_void_and_one_refund(live, paid, same_key):
    results, barrier = [], threading.Barrier(20)

    def attempt():
        barrier.wait()
        headers = {"Idempotency-Key": "race"} if same_key else {}
        response = live.void(*paid, headers=headers)
        results.append((response.status_code, response.json()))

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(status for status, _ in results)
    if same_key:
        # Stripe's rule: a retry while the first is running gets 409; after it, the first answer.
        assert 200 in statuses and set(statuses) <= {200, 409}, statuses
        assert len({body["voided_journal_entry"] for status, body in results if status == 200}) == 1
        assert all(
            body["detail"].startswith("A request with this Idempotency-Key is still being processed")
            for status, body in results
            if status == 409
        )
    else:
        assert statuses == [200] + [400] * 19
    assert count(live.state, "stripe_refunds", "payment_id = ?", [paid[1]]) == 1
    original = value(live.state, "SELECT journal_entry_id FROM payments WHERE id = ?", [paid[1]])
    assert count(live.state, "journal_entries", "reversal_of_id = ?", [original]) == 1
