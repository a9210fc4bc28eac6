"""A deployment that drifted: a reverse proxy in front of a running stand-in that changes some
answers the way a real deployment might without any schema change.

    with ServerThread(DriftingTarget(stand_in.url, second_void_409, drop_external_id)) as drifted: ...

Each drift is a function (method, path, status, body) -> (status, body), body as parsed JSON.
"""

import json
import re

import httpx

VOID = re.compile(r"^/coa/api/v1/invoice/\d+/payment/\d+/void/$")
UNFORWARDED = ("content-length", "content-encoding", "transfer-encoding", "connection", "date", "server")


def second_void_409(method, path, status, body):
    """A second void of a payment answers 409 Conflict instead of 400."""
    if method == "POST" and VOID.match(path) and status == 400 and "already been voided" in json.dumps(body):
        return 409, body
    return status, body


def drop_external_id(method, path, status, body):
    """A successful void no longer carries `external_id`."""
    if method == "POST" and VOID.match(path) and status == 200 and isinstance(body, dict):
        body = {key: value for key, value in body.items() if key != "external_id"}
    return status, body


def bogus_source(method, path, status, body):
    """A successful void says its source is "BOGUS", outside the contract's enum."""
    if method == "POST" and VOID.match(path) and status == 200 and isinstance(body, dict):
        body = {**body, "source": "BOGUS"}
    return status, body


class DriftingTarget:
    """ASGI app: forwards every request to `upstream` and passes JSON answers through `drifts`."""

    def __init__(self, upstream: str, *drifts):
        self.upstream, self.drifts = upstream, drifts

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        headers = [
            (k.decode(), v.decode()) for k, v in scope["headers"] if k.lower() not in (b"host", b"content-length")
        ]
        async with httpx.AsyncClient(base_url=self.upstream, timeout=30) as client:
            answer = await client.request(
                scope["method"], scope["path"], params=scope["query_string"].decode(), headers=headers, content=body
            )
        status, content = answer.status_code, answer.content
        if answer.headers.get("content-type", "").startswith("application/json") and content:
            data = answer.json()
            for drift in self.drifts:
                status, data = drift(scope["method"], scope["path"], status, data)
            content = json.dumps(data).encode()
        headers = [(name.encode(), value.encode()) for name, value in answer.headers.items() if name not in UNFORWARDED]
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [*headers, (b"content-length", str(len(content)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": content})
