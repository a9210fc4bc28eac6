"""DRF's limit/offset pagination: {count, next, previous, results} with absolute page links."""

from starlette.datastructures import URL

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def bounds(limit: int | None, offset: int | None) -> tuple[int, int]:
    """The page asked for, as LimitOffsetPagination reads it: no limit, or one below 1, is the
    default; a larger one is cut to the maximum; no offset, or a negative one, is 0 (it never
    refuses; `parameters.arguments` reads what is not an integer as absent)."""
    limit = min(limit, MAX_LIMIT) if limit and limit > 0 else DEFAULT_LIMIT
    return limit, min(offset, 2**62) if offset and offset > 0 else 0


def page(url: URL, limit: int, offset: int, count: int, results: list) -> dict:
    def link(at: int) -> str:
        """DRF's links: the first page's has no offset."""
        with_limit = url.include_query_params(limit=limit)
        return str(with_limit.include_query_params(offset=at) if at else with_limit.remove_query_params("offset"))

    return {
        "count": count,
        "next": link(offset + limit) if offset + limit < count else None,
        "previous": link(max(offset - limit, 0)) if offset > 0 else None,
        "results": results,
    }
