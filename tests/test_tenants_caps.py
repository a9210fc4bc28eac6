"""Bounded growth on a shared server (issue 25): caps per sandbox on API fault rules and pending
Stripe faults (400 naming the cap), rules matched through an index by operationId, and
idempotency keys purged once their 24 hours are over. Over HTTP."""

from mock_server.domain.refunds import MAX_PENDING_FAULTS
from mock_server.web.handlers.admin_faults import MAX_RULES
from support.tenants import API, admin, api, server, tenants, token_of  # noqa: F401 (fixtures)


def test_fault_rules_are_capped_per_sandbox(tenants):  # noqa: F811
    one, two = tenants.create(fixtures="none"), tenants.create(fixtures="none")
    for index in range(MAX_RULES):
        added = tenants.http.post("/_mock/faults", headers=admin(one["admin_token"]), json={"operation": f"op_{index}"})
        assert added.status_code == 201, added.text
    refused = tenants.http.post("/_mock/faults", headers=admin(one["admin_token"]), json={"operation": "one_more"})
    assert refused.status_code == 400 and str(MAX_RULES) in refused.json()["operation"][0]
    # the cap is the sandbox's: another sandbox adds its own, and clearing frees the room
    assert (
        tenants.http.post("/_mock/faults", headers=admin(two["admin_token"]), json={"operation": "x"}).status_code
        == 201
    )
    tenants.http.delete("/_mock/faults", headers=admin(one["admin_token"]))
    assert (
        tenants.http.post("/_mock/faults", headers=admin(one["admin_token"]), json={"operation": "x"}).status_code
        == 201
    )


def test_pending_stripe_faults_are_capped_per_sandbox(tenants):  # noqa: F811
    sandbox = tenants.create(fixtures="none")
    headers = admin(sandbox["admin_token"])
    assert (
        tenants.http.post("/_mock/stripe/faults", headers=headers, json={"fault": "decline", "count": 1000}).status_code
        == 200
    )
    refused = tenants.http.post("/_mock/stripe/faults", headers=headers, json={"fault": "decline"})
    assert refused.status_code == 400 and str(MAX_PENDING_FAULTS) in refused.json()["count"][0]
    assert len(tenants.http.get("/_mock/stripe/faults", headers=headers).json()["pending"]) == MAX_PENDING_FAULTS


def test_a_rule_naming_an_operation_and_a_glob_rule_apply_oldest_first(tenants):  # noqa: F811
    sandbox = tenants.create()
    headers, token = admin(sandbox["admin_token"]), token_of(sandbox)
    for index in range(50):  # rules for other operations are never tried on this one
        tenants.http.post("/_mock/faults", headers=headers, json={"operation": f"other_{index}", "status": 500})
    glob = tenants.http.post(
        "/_mock/faults", headers=headers, json={"operation": "coa_api_v1_invoice_*", "status": 418, "times": 1}
    ).json()
    exact = tenants.http.post(
        "/_mock/faults", headers=headers, json={"operation": "coa_api_v1_invoice_list", "status": 429, "times": 1}
    ).json()
    assert glob["id"] < exact["id"]
    assert tenants.http.get(f"{API}/invoice/", headers=api(token)).status_code == 418  # the older rule first
    assert tenants.http.get(f"{API}/invoice/", headers=api(token)).status_code == 429
    assert tenants.http.get(f"{API}/invoice/", headers=api(token)).status_code == 200


def test_idempotency_keys_are_purged_after_their_24_hours(tenants, server):  # noqa: F811
    sandbox = tenants.create(today="2026-11-20")
    token, headers = token_of(sandbox), admin(sandbox["admin_token"])
    first, second = tenants.payments(token)[:2]
    organization_id = sandbox["organizations"][0]["id"]

    def void(pair, key):
        return tenants.http.post(
            f"{API}/invoice/{pair[0]}/payment/{pair[1]}/void/", headers={**api(token), "Idempotency-Key": key}, json={}
        ).status_code

    def keys():
        return [
            row["key"]
            for row in server.state.ledger.query(
                "SELECT key FROM idempotent_responses WHERE organization_id = ? ORDER BY key", [organization_id]
            )
        ]

    assert void(first, "key-one") == 200
    assert void(second, "key-two") == 200
    assert keys() == ["key-one", "key-two"]  # within their 24 hours: kept
    tenants.http.put("/_mock/clock", headers=headers, json={"today": "2026-11-22"})
    assert void(second, "key-three") == 400  # voided already; its claim purged the expired keys
    assert keys() == []
