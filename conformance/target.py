"""The deployment under test: an HTTP client that paces itself, counts its requests, and
hands every response to the contract checks."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from .contract import Contract, Finding, clip


class TargetUnreachable(Exception):
    """The base URL does not answer (exit code 2)."""


class TokenRefused(TargetUnreachable):
    """The target answers, but not to this token (exit code 2)."""


class BudgetExhausted(Exception):
    """The run reached its request budget; the remaining checks cannot run safely."""


@dataclass
class Settings:
    base_url: str
    # Secrets: never in a repr (a failing check once printed the Settings into every report).
    token: str = field(repr=False)
    view_only_token: str | None = field(default=None, repr=False)
    admin_token: str | None = field(default=None, repr=False)
    max_requests: int = 2000
    max_rps: float = 10.0
    timeout: float = 30.0
    # Called as observer(target, response, findings) after each request: how reports keep the
    # exchange behind each finding (conformance.exchanges.Recorder).
    observer: Callable | None = field(default=None, repr=False)
    # False for requests that only set things up (the fuzz run's payments): no validators built.
    check_contract: bool = True


@dataclass
class Target:
    settings: Settings
    contract: Contract = field(init=False)
    requests_sent: int = 0
    is_mock: bool = False

    def __post_init__(self):
        self.contract = Contract(self.settings.base_url)
        self.http = httpx.Client(base_url=self.settings.base_url.rstrip("/"), timeout=self.settings.timeout)
        self._lock = threading.Lock()
        self._last = 0.0
        self.findings: list[Finding] = []  # the current check's, reset by the suite
        self.last_response: httpx.Response | None = None  # for a failure that is not a check's own

    def auth(self, token: str | None = None) -> dict:
        return {"Authorization": f"Token {token or self.settings.token}"}

    def _pace(self):
        with self._lock:
            if self.requests_sent >= self.settings.max_requests:
                raise BudgetExhausted(f"request budget of {self.settings.max_requests} reached")
            self.requests_sent += 1
            if self.settings.max_rps > 0:
                wait = self._last + 1 / self.settings.max_rps - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            self._last = time.monotonic()

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        anonymous: bool = False,
        headers: dict | None = None,
        expect_server_error: bool = False,
        **kwargs,
    ) -> httpx.Response:
        """Send a request (as the main token unless told), check its response against the contract."""
        self._pace()
        all_headers = {} if anonymous else self.auth(token)
        all_headers.update(headers or {})
        try:
            response = self.http.request(method, path, headers=all_headers, **kwargs)
        except httpx.TransportError as exc:
            raise TargetUnreachable(f"{method} {path}: {exc}") from exc
        found = self.contract.check(response) if self.settings.check_contract else []
        if expect_server_error:
            found = [f for f in found if f.rule != "no_5xx"]
        self.findings.extend(found)
        self.last_response = response
        if self.settings.observer:
            self.settings.observer(self, response, found)
        return response

    def admin(self, method: str, path: str, **kwargs) -> httpx.Response:
        """A call to the stand-in's admin API (only when the target is the mock)."""
        return self.request(
            method, "/_mock" + path, anonymous=True, headers={"X-Mock-Admin-Token": self.settings.admin_token}, **kwargs
        )

    def detect_mock(self) -> bool:
        """Whether the target is the stand-in: only with an admin token, which must then work."""
        if not self.settings.admin_token:
            return False
        try:
            response = self.http.get("/_mock/clock", headers={"X-Mock-Admin-Token": self.settings.admin_token})
        except httpx.TransportError as exc:
            raise TargetUnreachable(str(exc)) from exc
        if response.status_code != 200:  # never a silent skip of the stand-in's checks
            raise TokenRefused(
                f"the admin token is refused: GET /_mock/clock answered {response.status_code} (a wrong "
                "admin token, or a target that is not the stand-in: leave the admin token out)"
            )
        self.is_mock = True
        self.settings.max_rps = 0  # the stand-in is local and disposable: no pacing needed
        return True

    def probe(self) -> None:
        """Fail fast (ERROR, exit 2) when the target is down or refuses the token. Its answer is
        checked against the contract like any other: a 5xx here is a finding."""
        try:
            response = self.request("GET", "/coa/api/entity")
        except TargetUnreachable as exc:
            raise TargetUnreachable(f"{self.settings.base_url} does not answer ({exc.__cause__ or exc})") from exc
        if response.status_code in (401, 403):
            raise TokenRefused(
                f"the token is refused: GET /coa/api/entity answered {response.status_code} "
                f"({clip(response.text, 120)})"
            )

    def close(self):
        self.http.close()
