"""Guards in front of the web app, independent of connexion and of the ledger: a hostile client
must not be able to stall the server, make it reflect a forged Host, or forge a log line.

- `BodySizeLimit` (ASGI): 413 for a body over the cap, counted while it streams.
- `AllowedHosts` (ASGI): Django's ALLOWED_HOSTS; another Host header is a 400.
- `escape_control`: a logged path that cannot break or forge a log line.
- `GuardedHttpToolsProtocol` and `uvicorn_config`: a header cap (431) and a timeout for request
  heads that never complete (408), neither of which uvicorn 0.54 has by itself (h11's buffer limit
  only sees incomplete heads and answers 400; httptools has no header limit; neither times out a
  head). It keeps httptools' C parser, about 200 µs a request cheaper than h11 here.

Composition, outermost first (the request log must see the guards' refusals):

    app = RequestLog(guard(api, allowed_hosts=default_allowed_hosts(host)))
    uvicorn.Server(uvicorn_config(app, host, port)).run()
"""

import asyncio
import functools
import json
import re
from collections.abc import Iterable
from http import HTTPStatus

import uvicorn
from starlette.exceptions import HTTPException
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_BODY_BYTES = 1 << 20  # 1 MiB
MAX_HEAD_BYTES = 16 * 1024  # request line + headers; h11's default, and Node's
HEAD_TIMEOUT_SECONDS = 10.0  # from the first byte of a request head (or the connection) to its end


def escape_control(text: str) -> str:
    """`text` with every control character (C0, DEL, C1, Unicode line/paragraph separators) and
    the backslash written as a Python escape, so a decoded `%0a` or `%00` in a logged path stays
    on its line and cannot be mistaken for an escape the attacker typed."""
    return text.translate(_ESCAPES)


_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_ESCAPES.update(
    {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t", ord("\\"): "\\\\", 0x2028: "\\u2028", 0x2029: "\\u2029"}
)


def _detail(detail: str) -> bytes:
    """A DRF-style error body."""
    return json.dumps({"detail": detail}).encode()


def json_error(status: int, detail: str, *, close: bool = False) -> tuple[dict, dict]:
    """The ASGI start and body messages of a `{"detail": ...}` answer."""
    body = _detail(detail)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    return (
        {"type": "http.response.start", "status": status, "headers": headers},
        {"type": "http.response.body", "body": body},
    )


def _header(scope, name: bytes) -> str | None:
    return next((value.decode("latin-1") for key, value in scope["headers"] if key == name), None)


class BodyTooLarge(HTTPException):
    """Raised to the app by BodySizeLimit's receive once the cap is passed, so the app stops
    there (an app that took a disconnect for the end of the body would act on a truncated one).
    An HTTPException, so Starlette and connexion handle it without a traceback."""

    def __init__(self, max_bytes: int):
        super().__init__(413, f"Request body is larger than {max_bytes} bytes.")


class BodySizeLimit:
    """413 `{"detail": "Request body is larger than N bytes."}` for a body over `max_bytes`: at
    once when Content-Length says so (the app never runs), else as soon as the streamed body
    passes the cap, when the app's next read raises BodyTooLarge and whatever the app answers is
    dropped. Nothing is buffered here. The answer closes the connection, so the rest of the
    upload is not read."""

    def __init__(self, app, max_bytes: int = MAX_BODY_BYTES):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(send)
        received, started, refused = 0, False, False

        async def counting_receive():
            nonlocal received, refused
            if not refused:
                message = await receive()
                received += len(message.get("body", b""))
                if received <= self.max_bytes:
                    return message
                refused = True
                if not started:  # an app that answers before reading its body keeps its answer
                    await self._refuse(send)
            raise BodyTooLarge(self.max_bytes)

        async def tracking_send(message):
            nonlocal started
            if refused:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send):
        for message in json_error(413, f"Request body is larger than {self.max_bytes} bytes.", close=True):
            await send(message)


# Django's host_validation_re: a domain or a bracketed IPv6 address, then an optional port.
_HOST = re.compile(r"^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::[0-9]+)?$")


def default_allowed_hosts(bind_host: str) -> list[str]:
    """The bind address (bracketed when IPv6), `localhost` and `127.0.0.1`, any port."""
    return [f"[{bind_host}]" if ":" in bind_host else bind_host, "localhost", "127.0.0.1"]


class AllowedHosts:
    """Django's ALLOWED_HOSTS: `*` allows any host, `.example.com` that domain and its
    subdomains, anything else must match exactly (case-insensitive, port ignored). Another Host
    is a 400 `{"detail": "Invalid HTTP_HOST header: '...'."}`, answered before the app runs, so
    a forged Host never reaches a Location header or a pagination link. A request without Host
    (HTTP/1.0) passes: it has nothing to reflect."""

    def __init__(self, app, hosts: Iterable[str]):
        self.app, self.patterns = app, [pattern.lower() for pattern in hosts]

    def allows(self, host: str) -> bool:
        match = _HOST.match(host.lower())
        if not match:
            return False
        domain = match.group(1).removesuffix(".")
        return any(
            pattern == "*"
            or pattern == domain
            or (pattern.startswith(".") and (domain.endswith(pattern) or domain == pattern[1:]))
            for pattern in self.patterns
        )

    async def __call__(self, scope, receive, send):
        host = _header(scope, b"host") if scope["type"] == "http" else None
        if host is None or self.allows(host):
            return await self.app(scope, receive, send)
        for message in json_error(400, f"Invalid HTTP_HOST header: '{escape_control(host)}'."):
            await send(message)


def guard(app, *, allowed_hosts: Iterable[str], max_body_bytes: int = MAX_BODY_BYTES):
    """`app` behind the Host check, then the body cap (a foreign Host is refused before any of
    its body is read)."""
    return AllowedHosts(BodySizeLimit(app, max_body_bytes), allowed_hosts)


def _raw_error(status: int, detail: str) -> bytes:
    """A complete HTTP/1.1 JSON error answer that closes the connection, for the protocol layer
    (no ASGI app is running there)."""
    body = _detail(detail)
    return (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol (a C parser) with a cap on the request head answered 431
    `{"detail": ...}` (then closed), malformed heads answered 400 in JSON, and a head timeout: a
    head not complete `head_timeout` seconds after its first byte (or after the connection
    opened) is answered 408 and closed (closed without an answer when not a byte came). The
    bytes of a head are counted as they arrive, so a huge header is refused before it is
    buffered; slowloris clients hold a connection for a bounded time."""

    def __init__(
        self, *args, max_head_bytes: int = MAX_HEAD_BYTES, head_timeout: float = HEAD_TIMEOUT_SECONDS, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.max_head_bytes, self.head_timeout = max_head_bytes, head_timeout
        self.awaiting_head, self.head_bytes, self.head_fields = True, 0, 0
        self.head_timer: asyncio.TimerHandle | None = None
        self.refusal: tuple[int, str] | None = None

    def connection_made(self, transport):
        super().connection_made(transport)
        self.head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def connection_lost(self, exc):
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.awaiting_head:
            self.head_bytes += len(data)
            if self.head_timer is None:  # a head's first byte (after an idle keep-alive, say)
                self.head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)
        super().data_received(data)
        if self.awaiting_head and self.head_bytes > self.max_head_bytes and not self.transport.is_closing():
            self._refuse_too_large()

    # parser callbacks: the exact size of the head, checked before the app may start
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.head_fields = 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self.head_fields += len(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        self.head_fields += len(name) + len(value) + 4

    def on_headers_complete(self) -> None:
        if self.head_fields > self.max_head_bytes:
            self.refusal = (431, self._too_large_detail())
            raise ValueError("request head too large")  # stops the parser: send_400_response answers
        self.awaiting_head, self.head_bytes = False, 0
        self._stop_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.awaiting_head = True  # the next head's timer starts with its first byte

    def send_400_response(self, msg: str) -> None:
        status, detail = self.refusal or (400, "Invalid HTTP request received.")
        self._answer_and_close(status, detail)

    def _too_large_detail(self) -> str:
        return f"Request header fields are larger than {self.max_head_bytes} bytes."

    def _refuse_too_large(self) -> None:
        self._answer_and_close(431, self._too_large_detail())

    def _stop_head_timer(self) -> None:
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def _head_timed_out(self) -> None:
        self.head_timer = None
        if not self.awaiting_head or self.transport.is_closing():
            return
        if self.head_bytes:
            self._answer_and_close(408, "The request head was not received in time.")
        else:  # not a byte sent: a client that never asked gets no answer it could misread later
            self.transport.close()

    def _answer_and_close(self, status: int, detail: str) -> None:
        self._stop_head_timer()
        self.transport.write(_raw_error(status, detail))
        self.transport.close()


def uvicorn_config(
    app,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    max_head_bytes: int = MAX_HEAD_BYTES,
    head_timeout: float = HEAD_TIMEOUT_SECONDS,
    **options,
) -> uvicorn.Config:
    """A uvicorn.Config serving `app` with the guarded httptools protocol (head cap, head timeout);
    `options` go to uvicorn.Config as they are. The body cap and the Host check are ASGI
    middlewares: wrap `app` with `guard` first (see the module docstring for the order)."""
    protocol = functools.partial(GuardedHttpToolsProtocol, max_head_bytes=max_head_bytes, head_timeout=head_timeout)
    return uvicorn.Config(app, host=host, port=port, http=protocol, **options)
