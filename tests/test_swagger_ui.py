"""The documents a person explores, in a real headless Chromium: every document is served at a
stable URL, the Swagger UI page lists them all, and a void done through "Try it out" is a real
void (200, the payment voided in the ledger)."""

import re

import pytest
import yaml

from mock_server import spec
from support.browser import chromium, visit
from support.ledger import value


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def test_every_document_is_served_at_a_stable_url(live):
    for document in spec.DOCUMENTS:
        raw = live.http.get(f"/openapi/{document.name}.yaml")
        assert raw.status_code == 200 and raw.content == document.path.read_bytes(), document.name
        served = live.http.get(f"/openapi/{document.name}.json").json()
        assert served["paths"].keys() == yaml.safe_load(raw.content)["paths"].keys()
        assert served["servers"] == [
            {"url": f"{live.http.base_url}".rstrip("/") + document.prefix, "description": "This stand-in"}
        ]
    assert live.http.get("/openapi/unknown.yaml").status_code == 404


def test_swagger_ui_lists_every_document_and_voids_through_try_it_out(live, browser):
    invoice = live.create_invoice()
    payment = live.pay(invoice["id"], "stripe", 270.00)
    page = visit(browser, f"{live.http.base_url}/ui/")
    page.wait_for_selector(".topbar select")
    names = page.locator(".topbar select option").all_inner_texts()
    assert names == [document.name for document in spec.DOCUMENTS]

    page.click("button.authorize")
    page.fill(".auth-container input[type=text]", live.auth()["Authorization"])
    page.click(".auth-btn-wrapper button.authorize")
    page.click("button.btn-done")
    page.click(".opblock-post .opblock-summary")  # the seed document's one operation
    page.click("button.try-out__btn")
    page.fill("tr[data-param-name='invoice_id'] input", str(invoice["id"]))
    page.fill("tr[data-param-name='payment_id'] input", str(payment["id"]))
    page.fill("textarea.body-param__text", '{"void_date": "2026-07-10"}')
    page.click("button.execute")
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert page.errors == []
    assert value(live.state, "SELECT voided_date FROM payments WHERE id = ?", [payment["id"]]) == "2026-07-10"


def test_the_root_says_what_it_is_and_links_the_ui_and_every_document(live):
    page = live.http.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "<h1>Campfire stand-in</h1>" in page.text
    links = re.findall(r'href="([^"]+)"', page.text)
    assert "/ui/" in links
    for document in spec.DOCUMENTS:
        assert {f"/openapi/{document.name}.yaml", f"/openapi/{document.name}.json"} <= set(links)
    for link in links:  # every link works
        assert live.http.get(link).status_code == 200, link
    assert live.http.get("/ui", follow_redirects=False).headers["location"] == "/ui/"
