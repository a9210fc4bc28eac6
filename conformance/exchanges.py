"""The requests a run sent and what they got back, kept so a report can show the exchange behind
each finding (request, response excerpt, a `curl` line to reproduce it, token redacted) and so
`compare` can set two deployments' answers side by side.

The recorder is the target's observer (every request of the harness goes through Target.request)
and labels each exchange with the compare step that sent it.
"""

import json
import shlex
import time
from dataclasses import dataclass, field

import httpx

EXCERPT = 2000
SECRET_HEADERS = ("authorization", "x-mock-admin-token")
KEPT_HEADERS = ("content-type", "idempotency-key")
RESPONSE_HEADERS = ("www-authenticate", "allow", "location")  # the response headers a client acts on


@dataclass
class Exchange:
    label: str
    method: str
    url: str
    path: str
    request_headers: dict
    request_body: str
    status: int
    content_type: str
    response_text: str
    body: object = None  # the parsed JSON answer, None when it is not JSON
    headers: dict = field(default_factory=dict)  # the RESPONSE_HEADERS it carried

    @property
    def request_line(self) -> str:
        return f"{self.method} {self.url}"

    def curl(self) -> str:
        return curl_line(self.method, self.url, self.request_headers, self.request_body)


def curl_line(method: str, url: str, headers: dict, body: str | None) -> str:
    """A `curl` command for the request; secret headers must already be placeholders."""
    parts = ["curl", "-sS", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        parts += ["-H", _quote_keeping_variables(f"{name}: {value}")]
    if body:
        parts += ["--data-binary", shlex.quote(body)]
    return " ".join(parts)


def _quote_keeping_variables(text: str) -> str:
    """Double quotes when the text holds a $PLACEHOLDER for a secret, so the shell expands it."""
    if "$" in text and '"' not in text and "`" not in text and "\\" not in text:
        return f'"{text}"'
    return shlex.quote(text)


def redacted_headers(headers, secrets: dict[str, str]) -> dict:
    """The request headers worth reproducing; a known secret becomes its environment variable,
    any other credential `<redacted>`."""
    kept = {}
    for name, value in headers.items():
        lower = name.lower()
        if lower in SECRET_HEADERS:
            for secret, variable in secrets.items():
                if secret and secret in value:
                    value = value.replace(secret, f"${variable}")
                    break
            else:
                scheme = value.split(" ", 1)[0] + " " if " " in value else ""
                value = scheme + "<redacted>"
            kept[name.title() if lower == "authorization" else name] = value
        elif lower in KEPT_HEADERS:
            kept[name.title()] = value
    return kept


def _text(content: bytes) -> str:
    text = content.decode("utf-8", "replace")
    return text if len(text) <= EXCERPT else text[:EXCERPT] + f"... ({len(text)} characters)"


class Recorder:
    """The observer of a target (Settings.observer): every exchange, labelled by the step that
    sent it, and the exchange where each finding was first met."""

    def __init__(self, secrets: dict[str, str]):
        self.secrets = secrets  # secret value -> environment variable named in curl lines
        self.label = ""
        self.exchanges: list[Exchange] = []
        self.by_finding: dict[str, Exchange] = {}  # str(finding) -> the exchange that first showed it
        self.is_mock = False
        self.started = time.perf_counter()

    def __call__(self, target, response: httpx.Response, findings: list) -> None:
        exchange = self.record(response)
        self.is_mock = target.is_mock
        for finding in findings:
            self.by_finding.setdefault(str(finding), exchange)

    def record(self, response: httpx.Response) -> Exchange:
        request = response.request
        try:
            body = response.json()
        except ValueError:
            body = None
        exchange = Exchange(
            self.label,
            request.method,
            str(request.url),
            request.url.path,
            redacted_headers(request.headers, self.secrets),
            _text(request.content or b""),
            response.status_code,
            response.headers.get("content-type", ""),
            _text(response.content),
            body,
            {name: response.headers[name] for name in RESPONSE_HEADERS if name in response.headers},
        )
        self.exchanges.append(exchange)
        return exchange

    def in_step(self, label: str) -> list[Exchange]:
        return [exchange for exchange in self.exchanges if exchange.label == label]

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def pretty(text: str) -> str:
    """JSON re-indented for reading; anything else as it came."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def secrets(settings, prefix: str = "CAMPFIRE_TARGET") -> dict[str, str]:
    """The tokens of `settings` -> the environment variable a reader holds each in."""
    return {
        value: f"{prefix}_{name}"
        for name, value in (
            ("TOKEN", settings.token),
            ("VIEW_ONLY_TOKEN", settings.view_only_token),
            ("ADMIN_TOKEN", settings.admin_token),
        )
        if value
    }
