"""One log line per request (method, path, status, milliseconds); headers and query strings,
where tokens travel, are never printed."""
import logging
import time

from .guards import escape_control

log = logging.getLogger("campfire_mock.requests")


class RequestLog:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = {}

        async def capture(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            log.info("%s %s %s %.1fms", scope["method"], escape_control(scope["path"]), status.get("code", 500),
                     (time.perf_counter() - started) * 1000)
