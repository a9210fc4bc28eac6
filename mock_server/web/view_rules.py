"""What Django and Django REST Framework decide before a view's handler runs, in their order.

For a path no view serves (Django's URL resolver and CommonMiddleware): a redirect to the path
with a slash when that one is served (APPEND_SLASH: 301 with a relative Location, whatever the
method, so a client that drops the slash re-sends a GET and voids nothing), the documents'
pages, else Django's HTML 404 (JSON under the admin API, which is ours).

For a view (DRF's APIView.dispatch): content negotiation (406, or 404 for an unknown
`?format=`), then authentication (401 with `WWW-Authenticate: Token`, knox's words), then
permissions (403), then the method (405, or DRF's metadata for OPTIONS). Every JSON answer of a
view carries its `Allow` header, as DRF's default response headers do. Anything else passes to
Connexion's routing and validation, then the handler.
"""

import json
from urllib.parse import quote

from starlette.datastructures import Headers, MutableHeaders, QueryParams
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Match

from . import auth, facts, negotiation, views
from .facts import ADMIN_PREFIX

NOT_FOUND_PAGE = (
    '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n'
    "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n"
)
HTML = "text/html; charset=utf-8"


def _with_allow(send, allow: str):
    """`send`, adding `Allow` to a JSON answer (a Django-level HTML error is not the view's)."""

    async def sending(message):
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            if headers.get("content-type", "").startswith("application/json") and "allow" not in headers:
                headers["Allow"] = allow
        await send(message)

    return sending


class ViewRules:
    """ASGI, just outside Connexion's exception handling; `pages` serves the paths no document
    declares (the documents themselves, the UI)."""

    def __init__(self, app, pages):
        self.app, self.pages = app, pages

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = facts.of(scope)
        if request.view is None:
            return await self._unrouted(request, scope, receive, send)
        send = _with_allow(send, request.view.allow)
        answer = self._refusal(request, scope)
        if answer is None and request.method == "OPTIONS" and request.operation is None:
            answer = JSONResponse(
                {
                    "name": request.view.name,
                    "description": "",
                    "renders": [negotiation.RENDERER],
                    "parses": list(negotiation.PARSERS),
                }
            )
        if answer is not None:
            return await answer(scope, receive, send)
        await self.app(scope, receive, send)

    @staticmethod
    def _refusal(request: facts.RequestFacts, scope) -> Response | None:
        headers = Headers(scope=scope)
        refused = negotiation.refusal(headers.get("accept"), QueryParams(scope["query_string"]).get("format"))
        challenge = {}
        if refused is None:
            refused = auth.refusal(request.grant, request.method)
            if refused and refused[0] == 401 and request.view.token_header == views.PUBLIC_TOKEN_HEADER:
                challenge = {"WWW-Authenticate": "Token"}
        if refused is None and request.operation is None and request.method != "OPTIONS":
            refused = 405, f'Method "{request.method}" not allowed.'
        if refused is None:
            return None
        status, detail = refused
        return JSONResponse({"detail": detail}, status, challenge)

    async def _unrouted(self, request: facts.RequestFacts, scope, receive, send):
        path = request.path
        if not path.endswith("/") and (views.match(path + "/") or self._page(scope, path + "/")):
            query = scope["query_string"].decode("latin-1")
            location = (
                quote(path, safe="/:@&+$,-_.!~*'()") + "/" + (f"?{query}" if query else "")
            )  # as Django writes it
            return await Response(status_code=301, headers={"Location": location}, media_type=HTML)(
                scope, receive, send
            )
        if self._page(scope, path):
            return await self.pages(scope, receive, send)
        if path.startswith(ADMIN_PREFIX):
            answer = Response(json.dumps({"detail": "Not found."}), 404, media_type="application/json")
        else:
            answer = HTMLResponse(NOT_FOUND_PAGE, 404)
        await answer(scope, receive, send)

    def _page(self, scope, path: str) -> bool:
        probe = {**scope, "path": path}
        return any(route.matches(probe)[0] != Match.NONE for route in self.pages.routes)
