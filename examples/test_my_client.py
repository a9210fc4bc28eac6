"""The README's example: a client's test of its void call with the `campfire_standin` fixture.
It runs unchanged against the stand-in started in the process and against a sandbox of a shared
server (`pytest --campfire-url URL --campfire-admin-token T`): ids and tokens come from the
stand-in, never written in the test (a sandbox's ids are its own)."""

import void_client as my_client

VOID = "coa_api_v1_invoice_payment_void_create"


def test_my_client_voids_once(campfire_standin):
    token = campfire_standin.token("admin", 1)  # organization 1 (its id; in a sandbox, its number)
    invoice = campfire_standin.create_invoice(10.00, organization=1)
    paid = campfire_standin.create_payment(invoice["id"], kind="stripe", amount=10.00)
    response = my_client.void_payment(campfire_standin.base_url, token, invoice["id"], paid["id"])
    assert response.status_code == 200
    assert [entry["status"] for entry in campfire_standin.requests(operation=VOID)] == [200]  # the request journal
    assert [refund["payment_id"] for refund in campfire_standin.refunds()].count(paid["id"]) == 1
    assert len(campfire_standin.reversals(paid["id"])) == 1 and campfire_standin.invariants()["healthy"]
