"""A check's failure in words: what it found, the rule broken, what was expected, and the exchange
that showed it (request method, path and body; the answer's status and body, cut short).

Checks raise RuleBroken (through `expect`) instead of a bare assert: the suite runs with pytest's
assertion rewriting off, so no introspection or object repr can reach a report.
"""

import httpx

from .contract import clip

EXCERPT = 300


def request_line(request: httpx.Request) -> str:
    """Method, path (with its query) and body of a request; never its headers (they hold the token)."""
    query = f"?{request.url.query.decode()}" if request.url.query else ""
    body = (request.content or b"").decode("utf-8", "replace")
    return f"{request.method} {request.url.path}{query}" + (f" {clip(body, EXCERPT)}" if body else "")


def answer_line(response: httpx.Response) -> str:
    return f"{response.status_code} {clip(response.text, EXCERPT)}".rstrip()


def exchange_lines(response: httpx.Response | None) -> list[str]:
    if response is None:
        return []
    return [f"request: {request_line(response.request)}", f"answer: {answer_line(response)}"]


class RuleBroken(AssertionError):
    """A check's failure: `found` is the one-line reason; str() adds the rule, what was expected
    and the exchange."""

    def __init__(self, found: str, *, rule: str, expected: str, response: httpx.Response | None = None):
        self.found, self.rule, self.expected = found, rule, expected
        self.details = [f"rule: {rule}", f"expected: {expected}", *exchange_lines(response)]
        super().__init__("\n".join([found, *(f"  {line}" for line in self.details)]))


def expect(condition, found: str, *, rule: str, expected: str, response: httpx.Response | None = None) -> None:
    """Raise RuleBroken(found, ...) unless `condition` holds."""
    if not condition:
        raise RuleBroken(found, rule=rule, expected=expected, response=response)
