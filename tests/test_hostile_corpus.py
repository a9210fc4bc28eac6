"""Every request of the bad-input corpus against one stand-in over real HTTP: no 5xx, every 4xx
in JSON, the server stays up, a refused request changes nothing (snapshot through the API and
the admin API before and after), and no request leaves the invariant report unreadable."""

import httpx
import pytest

from conformance.local import LocalStandIn
from mock_server.web import views
from mock_server.web.view_rules import NOT_FOUND_PAGE
from support.hostile_corpus import CORPUS, VALID_INVOICE, Hostile


class Target:
    """The stand-in, the ids the corpus aims at, and the last ledger snapshot taken."""

    def __init__(self, stand_in: LocalStandIn, http: httpx.Client):
        self.stand_in, self.http = stand_in, http
        self.headers = {
            "api": {"Authorization": f"Token {stand_in.token}"},
            "view": {"Authorization": f"Token {stand_in.view_only_token}"},
            "admin": {"X-Mock-Admin-Token": stand_in.admin_token},
            "none": {},
        }
        self.provision()

    def provision(self) -> None:
        """A voidable Stripe payment and an unpaid invoice, made through the API."""
        self.ids = {"invoice": self._invoice(), "open_invoice": self._invoice()}
        response = self.http.post(
            "/_mock/payments",
            headers=self.headers["admin"],
            json={"invoice_id": self.ids["invoice"], "kind": "stripe", "amount": 20, "payment_date": "2026-07-05"},
        )
        assert response.status_code == 201, response.text
        self.ids["payment"] = response.json()["id"]
        self.baseline = self.snapshot()
        self.last = self.counts()

    def _invoice(self) -> int:
        response = self.http.post("/coa/api/v1/invoice/", json=VALID_INVOICE, headers=self.headers["api"])
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def send(self, case: Hostile) -> httpx.Response:
        send = dict(case.send)
        if isinstance(send.get("content"), bytes):
            send["content"] = send["content"].replace(b"{open_invoice}", str(self.ids["open_invoice"]).encode())
        send["headers"] = {**self.headers[case.auth], **send.get("headers", {})}
        return self.http.request(case.method, case.path.format(**self.ids), **send)

    def counts(self) -> dict:
        """The rows any accepted write adds (invoices, payments, voids): cheap, taken after every case."""
        api = self.headers["api"]
        return {
            "invoices": self.http.get("/coa/api/v1/invoice/", params={"limit": 1}, headers=api).json()["count"],
            "payments": self.http.get("/coa/api/v1/invoice-payments", params={"limit": 1}, headers=api).json()["count"],
            "voided": self.http.get(
                "/coa/api/v1/invoice-payments", params={"limit": 1, "voided": "true"}, headers=api
            ).json()["count"],
        }

    def snapshot(self) -> dict:
        """The counts, the Stripe log, the pending faults, the clock and the invariant report."""
        admin = self.headers["admin"]
        return {
            **self.counts(),
            "invariants": self.invariants(),
            "refund_attempts": len(self.http.get("/_mock/stripe/refund-attempts", headers=admin).json()),
            "faults": self.http.get("/_mock/stripe/faults", headers=admin).json(),
            "clock": self.http.get("/_mock/clock", headers=admin).json(),
        }

    def invariants(self) -> dict | str:
        """The invariant report (healthy, violations, trial balance), or what answered instead."""
        report = self.http.get("/_mock/invariants", headers=self.headers["admin"])
        return report.json() if report.status_code == 200 else f"{report.status_code} {report.text[:300]}"

    def restore(self) -> None:
        """After a request that changed or broke the ledger: the default dataset again and fresh
        ids, so the next cases are judged on their own."""
        self.http.post("/_mock/reset", headers=self.headers["admin"], json={"fixtures": "default"})
        self.provision()


@pytest.fixture(scope="module")
def target():
    with LocalStandIn() as stand_in, httpx.Client(base_url=stand_in.url, timeout=30) as http:
        yield Target(stand_in, http)


def _problems(case: Hostile, response: httpx.Response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append("5xx")
    elif response.status_code == 404 and views.match(response.request.url.path) is None:
        if response.text != NOT_FOUND_PAGE:  # a path no view serves: Django's own page, as on Campfire
            problems.append("unrouted, but not Django's 404 page")
    elif response.status_code >= 400:
        try:
            response.json()
            if not response.headers.get("content-type", "").startswith("application/json"):
                raise ValueError(response.headers.get("content-type"))
        except ValueError:
            problems.append("4xx without a JSON body")
    elif not case.read:
        problems.append("accepted")
    return problems


def _report_problems(report: dict | str, baseline: dict) -> list[str]:
    if not isinstance(report, dict):
        return [f"invariant report unreadable: {report}"]
    if not report["healthy"]:
        return [f"ledger unhealthy: {report['violations'][:3]}"]
    return [] if report["trial_balance"] == baseline["invariants"]["trial_balance"] else ["trial balance changed"]


WRITES = [case for case in CORPUS if not case.read]
READS = [case for case in CORPUS if case.read]


@pytest.mark.parametrize("case", WRITES, ids=[case.name for case in WRITES])
def test_a_malformed_write_is_refused_and_changes_nothing(target, case):
    """Counts after every case; the invariant report (trial balance included) after every answer
    that is not a 4xx, and at the end (test_the_ledger_is_as_it_was_and_the_server_is_up)."""
    before = target.last
    response = target.send(case)
    target.last = after = target.counts()
    damage = [f"changed: {key} {before[key]!r} -> {after[key]!r}" for key in after if after[key] != before[key]]
    if not 400 <= response.status_code < 500:
        damage += _report_problems(target.invariants(), target.baseline)
    if damage:
        target.restore()
    problems = _problems(case, response) + damage
    assert not problems, (
        f"{case.method} {case.path} -> {response.status_code} {response.text[:300]!r}: {'; '.join(problems)}"
    )


@pytest.mark.parametrize("case", READS, ids=[case.name for case in READS])
def test_a_malformed_read_is_answered_without_5xx(target, case):
    response = target.send(case)
    problems = _problems(case, response)
    assert not problems, f"{case.method} {case.path} -> {response.status_code} {response.text[:300]!r}: {problems}"


def test_the_ledger_is_as_it_was_and_the_server_is_up(target):
    """After the whole corpus (file order): the full snapshot (trial balance, Stripe log, faults,
    clock) is the one taken after the last provisioning, so no refused request wrote anything."""
    now = target.snapshot()
    assert _report_problems(now["invariants"], target.baseline) == []
    assert now == target.baseline


def test_the_corpus_is_large_and_distinct():
    assert len(CORPUS) >= 100 and len({case.name for case in CORPUS}) == len(CORPUS)
