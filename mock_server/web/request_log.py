"""One log line per request (method, path, status, milliseconds); headers and query strings,
where tokens travel, are never printed."""

import logging
import time

from .guards import escape_control

log = logging.getLogger("campfire_mock.requests")


def recording_status(send, answered: dict):
    """`send`, noting the status the app answers in `answered["status"]`."""

    async def recorded(message):
        if message["type"] == "http.response.start":
            answered["status"] = message["status"]
        await send(message)

    return recorded


class RequestLog:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        answered = {}
        try:
            await self.app(scope, receive, recording_status(send, answered))
        finally:
            log.info(
                "%s %s %s %.1fms",
                scope["method"],
                escape_control(scope["path"]),
                answered.get("status", 500),
                (time.perf_counter() - started) * 1000,
            )
