"""DRF's limit/offset pagination: {count, next, previous, results} with absolute page links."""
from starlette.datastructures import URL

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def bounds(limit: int | None, offset: int | None) -> tuple[int, int]:
    """The page asked for, clamped to what the API serves."""
    return min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT), min(max(offset or 0, 0), 2**62)


def page(url: URL, limit: int, offset: int, count: int, results: list) -> dict:
    def link(at: int) -> str:
        return str(url.include_query_params(limit=limit, offset=at))

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "results": results,
    }
