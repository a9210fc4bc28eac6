"""DRF's limit/offset pagination: {count, next, previous, results} with absolute page links."""
import connexion.context
from starlette.datastructures import URL

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _link(url: URL, limit: int, offset: int) -> str:
    return str(url.include_query_params(limit=limit, offset=offset))


def page(db, sql: str, params: list, limit: int | None, offset: int | None, render) -> dict:
    """Run `sql` (a SELECT without LIMIT) for one page and render each row."""
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = min(max(offset or 0, 0), 2**62)
    count = db.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()[0]
    rows = list(db.query(f"{sql} LIMIT ? OFFSET ?", [*params, limit, offset]))
    url = URL(str(connexion.context.request.url))
    return {
        "count": count,
        "next": _link(url, limit, offset + limit) if offset + limit < count else None,
        "previous": _link(url, limit, max(offset - limit, 0)) if offset > 0 else None,
        "results": [render(row) for row in rows],
    }
