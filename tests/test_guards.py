"""The web guards over real HTTP: body cap (413), header cap (431), head timeout, Host allow-list,
and control characters escaped in a logged path. A tiny Starlette app stands for the API."""

import socket
import threading
import time

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from mock_server.serving import ServerThread
from mock_server.web.guards import (
    AllowedHosts,
    default_allowed_hosts,
    escape_control,
    guard,
    json_error,
    uvicorn_config,
)

MAX_BODY = 64 * 1024
HEAD_TIMEOUT = 0.5
paths_seen = []


async def echo(request):
    return JSONResponse({"size": len(await request.body()), "host": request.headers.get("host")})


class GuardedServer(ServerThread):
    """ServerThread, with the guarded uvicorn configuration."""

    def __init__(self, app, **options):
        super().__init__(app)
        self.server = uvicorn.Server(uvicorn_config(app, "127.0.0.1", self.port, log_level="critical", **options))
        self.thread = threading.Thread(target=self.server.run, daemon=True)


def recording_paths(app):
    """The decoded path the request log sees (scope["path"]), recorded before routing."""

    async def record(scope, receive, send):
        paths_seen.append(scope.get("path"))
        await app(scope, receive, send)

    return record


effects = []


async def lenient_reader(scope, receive, send):
    """An app that takes a disconnect for the end of its body (as connexion's body validators
    do), then acts on what it read."""
    body, more = b"", True
    while more:
        message = await receive()
        body, more = body + message.get("body", b""), message.get("more_body", False)
    effects.append(len(body))
    for message in json_error(200, "done"):
        await send(message)


@pytest.fixture(scope="module")
def server():
    app = recording_paths(
        Starlette(routes=[Mount("/effect", lenient_reader), Route("/{rest:path}", echo, methods=["GET", "POST"])])
    )
    guarded = guard(app, allowed_hosts=default_allowed_hosts("127.0.0.1"), max_body_bytes=MAX_BODY)
    with GuardedServer(guarded, head_timeout=HEAD_TIMEOUT) as running:
        yield running


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def raw(server, data: bytes, wait: float = 5.0) -> tuple[bytes, float]:
    """Send `data` on a fresh socket, read until the server closes (at most `wait` s)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer, time.monotonic() - started


def assert_refused(response, status, detail):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"detail": detail}


def test_a_body_within_the_cap_reaches_the_app(http):
    assert http.post("/echo", content=b"x" * MAX_BODY).json()["size"] == MAX_BODY


def test_an_oversize_content_length_is_refused(http):
    assert_refused(
        http.post("/echo", content=b"x" * (MAX_BODY + 1)), 413, f"Request body is larger than {MAX_BODY} bytes."
    )


def test_an_oversize_chunked_body_is_refused(http):
    def chunks():
        for _ in range(40):
            yield b"y" * 8192

    assert_refused(http.post("/echo", content=chunks()), 413, f"Request body is larger than {MAX_BODY} bytes.")
    assert http.get("/still-up").status_code == 200


def test_an_app_never_acts_on_a_body_cut_at_the_cap(http):
    def chunks():
        for _ in range(40):
            yield b"void_date=2026-11-20&" * 400

    effects.clear()
    assert http.post("/effect/", content=chunks()).status_code == 413
    assert http.post("/effect/", content=b"small").status_code == 200
    assert effects == [5]


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_cap(server):
    """The client never ends its body: the 413 comes anyway, and the connection is closed."""
    chunk = b"z" * (MAX_BODY + 1)
    answer, elapsed = raw(
        server,
        b"POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"%x\r\n" % len(chunk)
        + chunk
        + b"\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert elapsed < 5


def test_an_oversize_header_is_431(http):
    assert_refused(
        http.get("/echo", headers={"X-Big": "a" * 100_000}), 431, "Request header fields are larger than 16384 bytes."
    )


def test_a_head_that_never_completes_is_closed_within_the_timeout(server):
    answer, elapsed = raw(server, b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    assert answer.startswith(b"HTTP/1.1 408 ") and answer.endswith(
        b'{"detail": "The request head was not received in time."}'
    )
    assert HEAD_TIMEOUT <= elapsed < HEAD_TIMEOUT + 4


def test_a_connection_that_sends_nothing_is_closed_without_an_answer(server):
    answer, elapsed = raw(server, b"")
    assert answer == b"" and HEAD_TIMEOUT <= elapsed < HEAD_TIMEOUT + 4


def test_a_trickled_head_does_not_extend_the_timeout(server):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /echo HTTP/1.1\r\n")
        with pytest.raises(OSError):
            for _ in range(40):  # one header line every 0.1 s, for 4 s unless closed before
                time.sleep(0.1)
                sock.sendall(b"X-A: b\r\n")
    assert time.monotonic() - started < HEAD_TIMEOUT + 3


def test_a_kept_alive_connection_may_idle_longer_than_the_head_timeout(http):
    """The head timeout runs from a head's first byte; between requests the keep-alive timeout rules."""
    assert http.get("/one").status_code == 200
    time.sleep(HEAD_TIMEOUT + 0.3)
    assert http.get("/two").status_code == 200


def test_a_malformed_head_is_answered_400_in_json(server):
    answer, _ = raw(server, b"GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nA line without a colon\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400 ") and answer.endswith(b'{"detail": "Invalid HTTP request received."}')


def test_a_foreign_host_is_400_and_an_allowed_one_passes(http, server):
    assert_refused(
        http.get("/echo", headers={"Host": "evil.example"}), 400, "Invalid HTTP_HOST header: 'evil.example'."
    )
    assert http.get("/echo", headers={"Host": f"localhost:{server.port}"}).json()["host"] == f"localhost:{server.port}"


@pytest.mark.parametrize(
    "patterns, host, allowed",
    [
        (["*"], "anything.example:9", True),
        ([".example.com"], "api.example.com", True),
        ([".example.com"], "example.com:8000", True),
        ([".example.com"], "badexample.com", False),
        (["LocalHost"], "localhost.", True),
        (default_allowed_hosts("::1"), "[::1]:8000", True),
        (default_allowed_hosts("127.0.0.1"), "127.0.0.1.evil.example", False),
        (["*"], "evil.example/path", False),
    ],
)
def test_allowed_hosts_follow_django(patterns, host, allowed):
    assert AllowedHosts(None, patterns).allows(host) is allowed


def test_a_decoded_newline_or_nul_in_a_path_is_escaped_for_the_log(http):
    paths_seen.clear()
    http.get("/x%0a2026-11-25 GET /coa/api/v1/invoice/4/payment/3/void/ 200%00%0d%e2%80%a8\\")
    logged = escape_control(paths_seen[-1])
    assert paths_seen[-1].count("\n") == 1 and "\x00" in paths_seen[-1]  # what uvicorn hands the app
    assert logged == "/x\\n2026-11-25 GET /coa/api/v1/invoice/4/payment/3/void/ 200\\x00\\r\\u2028\\\\"
    assert logged.isprintable()
