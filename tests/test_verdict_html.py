"""The HTML report of a failing run as a person sees it in headless Chromium: the failure in
words (what was found, the rule, what was expected, the request and the answer), open at the
top; no `assert` text, no object repr, no token."""

import pytest

from support import harness
from support.broken_targets import SecondVoidAnswered200
from support.browser import chromium, visit
from support.stand_ins import stand_in


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def test_a_failure_reads_as_a_sentence_with_its_rule_and_exchange(browser, tmp_path):
    server = stand_in("a")
    report = tmp_path / "report.html"
    with harness.broken(server, SecondVoidAnswered200) as target:
        result = harness.console(
            "--base-url",
            target.url,
            "--token",
            server.token,
            "--max-rps",
            "0",
            "--html",
            str(report),
            "--only",
            "second_void or missing_token",
        )
    assert result.returncode == 1, result.stdout + result.stderr
    page = visit(browser, report.as_uri())
    assert page.inner_text("h1") == "DOES NOT CONFORM"
    failed = page.locator("details.check.failed", has_text="second_void_is_refused")
    assert failed.get_attribute("open") is not None and failed.is_visible()
    shown = failed.inner_text()
    assert "a second void of the same payment answered 200" in shown
    assert "a payment is voided once: a second void of it is refused with a 4xx" in shown  # the rule
    assert "a 4xx refusal" in shown  # what was expected
    assert "POST /coa/api/v1/invoice/" in shown and "/void/" in shown  # the request
    assert '200 {"id": ' in shown  # the answer, its body cut short
    text = page.inner_text("body")
    assert "assert" not in text and "Settings(" not in text and "<Response" not in text
    assert server.token not in page.content()
    assert page.errors == []
