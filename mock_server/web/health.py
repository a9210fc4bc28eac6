"""GET /health, for the load balancer in front of a shared stand-in: 200 when the ledger answers
a read (and, on SQLite, its file is still the one the server opened), 503 JSON with the cause and
Retry-After otherwise. No token: a load balancer has none, and the answer tells nothing of any
tenant's data."""

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..storage import StorageError

PATH = "/health"


def route(standin) -> Route:
    """The health page of `standin`, among the app's pages (``documents.pages``)."""

    async def health(request) -> JSONResponse:
        try:
            await run_in_threadpool(standin.ledger.check_health)
        except StorageError as exc:
            return JSONResponse(
                {"status": "unavailable", "detail": getattr(exc, "detail", str(exc))}, 503, headers={"Retry-After": "1"}
            )
        return JSONResponse({"status": "ok", "engine": standin.ledger.engine})

    return Route(PATH, health)
