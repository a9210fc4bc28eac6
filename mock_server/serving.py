"""How the stand-in is served: the app behind its guards (Host check, body cap), the guarded
httptools protocol (head cap, head timeout), optionally the request log; and a server in a
background thread on a free 127.0.0.1 port (tests, the harness's local stand-in, benchmarks)."""

import logging
import socket
import sys
import threading
import time

import uvicorn

from .web.guards import MAX_BODY_BYTES, default_allowed_hosts, guard, uvicorn_config
from .web.request_log import RequestLog


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_socket(host: str, port: int) -> socket.socket:
    """The server's socket, bound before anything says the server is ready (OSError when the
    address is taken); uvicorn serves on it, in one process or in each worker."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def configure_logging() -> None:
    """What `serve` prints: one line per request, warnings; not connexion's expected notices
    (one per operation with several content types)."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(message)s", stream=sys.stdout)
    logging.getLogger("campfire_mock").setLevel(logging.INFO)
    for noisy in ("connexion.operations.openapi3", "connexion.decorators.parameter"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def served(
    app,
    host: str = "127.0.0.1",
    *,
    allowed_hosts=None,
    max_body_bytes: int = MAX_BODY_BYTES,
    log_requests: bool = False,
):
    """`app` behind the stand-in's guards (and the request log, outermost, so it sees refusals)."""
    guarded = guard(app, allowed_hosts=allowed_hosts or default_allowed_hosts(host), max_body_bytes=max_body_bytes)
    return RequestLog(guarded) if log_requests else guarded


def server_config(
    app,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    allowed_hosts=None,
    max_body_bytes: int = MAX_BODY_BYTES,
    log_requests: bool = False,
    **options,
) -> uvicorn.Config:
    """uvicorn's configuration for `app` as the stand-in serves it, whoever starts it."""
    app = served(app, host, allowed_hosts=allowed_hosts, max_body_bytes=max_body_bytes, log_requests=log_requests)
    return uvicorn_config(app, host, port, **options)


class ServerThread:
    """`with ServerThread(app) as server:` serves on server.url until the block ends."""

    def __init__(self, app, port: int | None = None, **options):
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(server_config(app, "127.0.0.1", self.port, log_level="error", **options))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)
