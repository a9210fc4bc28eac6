"""The direct lane (mock_server/web/direct.py) keeps what Connexion's path does for a request it
serves: response validation when the app validates responses, and nothing at all with
`direct_lane=False`. (That its answers are Connexion's is tests/test_connexion_once.py.)"""
import pytest
from standin_process import counting

from mock_server.web import direct, render
from mock_server.web.app import create_app


@pytest.fixture
def served_by_lane(monkeypatch):
    """The operationIds of the requests the lane served during the test."""
    served = []
    monkeypatch.setattr(direct._Route, "__call__", counting(direct._Route.__call__, served))
    return served


@pytest.mark.parametrize("lane", [True, False], ids=["direct lane", "no direct lane"])
def test_an_answer_off_the_schema_is_a_500_on_both_paths(state, monkeypatch, served_by_lane, lane):
    """The session's app validates responses; an answer missing required fields must not pass."""
    monkeypatch.setattr(render, "payment", lambda row: {"id": row["id"]})
    with create_app(state, validate_responses=True, direct_lane=lane).test_client() as client:
        key = state.ledger.query("SELECT key FROM tokens WHERE role = 'admin' AND organization_id = 1")[0]["key"]
        answer = client.post("/coa/api/v1/invoice/4/payment/3/void/", json={},
                             headers={"Authorization": f"Token {key}"})
    assert answer.status_code == 500
    assert answer.json()["detail"].startswith("Response body does not conform to specification.")
    assert served_by_lane == (["coa_api_v1_invoice_payment_void_create"] if lane else [])


def test_the_session_stand_in_serves_voids_and_reads_through_the_lane(live, served_by_lane):
    """So the rest of the suite, which voids and reads through the session's stand-in, tests the lane."""
    assert live.void(4, 3, json={}).status_code == 200
    assert live.void(4, 3, json={}, role="view_only").status_code == 403  # passed on to Connexion
    assert live.invoice(4)["payments"][0]["voided_date"] is not None
    assert live.get("/coa/api/v1/invoice/4/", params={"x": 1}).status_code == 200  # a query: passed on
    assert served_by_lane == ["coa_api_v1_invoice_payment_void_create", "coa_api_v1_invoice_retrieve"]
