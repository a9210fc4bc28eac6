"""The documents a person or a tool reads, at stable URLs, and one Swagger UI page for all.

- ``/openapi/<name>.yaml``: the file as shipped (the seed's is byte for byte the contract);
- ``/openapi/<name>.json``: the same document with ``servers`` pointing at this stand-in, so
  "Try it out" and generated clients talk to it rather than to production;
- ``/ui/``: Swagger UI with a picker of every document (``?urls.primaryName=<name>``);
- ``/``: what this server is, with links to the above.
"""

import json
from pathlib import Path

import swagger_ui_bundle
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route, Router

from mock_server import spec

ASSETS = Path(swagger_ui_bundle.swagger_ui_path)
_BY_NAME = {document.name: document for document in spec.DOCUMENTS}
_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>Campfire stand-in: API documents</title>
<link rel="stylesheet" href="/ui/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/ui/assets/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/ui/assets/swagger-ui-bundle.js"></script>
<script src="/ui/assets/swagger-ui-standalone-preset.js"></script>
<script>
window.ui = SwaggerUIBundle({urls: %s, "urls.primaryName": %s, dom_id: "#swagger-ui", deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: "StandaloneLayout"});
</script></body></html>
"""


_HOME = """<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>Campfire stand-in</title></head>
<body><h1>Campfire stand-in</h1>
<p>A local stand-in for Campfire's API: <code>POST /coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/</code>
and the calls around it, on a real double-entry ledger. Send <code>Authorization: Token &lt;key&gt;</code>
(<code>campfire-mock tokens</code> lists them).</p>
<p><a href="/ui/">Swagger UI</a>: every document, with "Try it out" against this server.</p>
<ul>%s</ul>
</body></html>
"""


def _base_url(request) -> str:
    return str(request.base_url).rstrip("/")


async def raw_document(request) -> Response:
    document = _BY_NAME.get(request.path_params["name"])
    if document is None:
        return JSONResponse({"detail": "Not found."}, status_code=404)
    return Response(document.path.read_bytes(), media_type="application/yaml")


async def served_document(request) -> Response:
    document = _BY_NAME.get(request.path_params["name"])
    if document is None:
        return JSONResponse({"detail": "Not found."}, status_code=404)
    loaded = spec.load(document.path)
    loaded["servers"] = [{"url": _base_url(request) + document.prefix, "description": "This stand-in"}]
    return Response(json.dumps(loaded, default=str), media_type="application/json")


async def swagger_ui(request) -> Response:
    urls = [{"url": f"/openapi/{document.name}.json", "name": document.name} for document in spec.DOCUMENTS]
    primary = request.query_params.get("urls.primaryName", spec.DOCUMENTS[0].name)
    return HTMLResponse(_PAGE % (json.dumps(urls), json.dumps(primary if primary in _BY_NAME else urls[0]["name"])))


async def asset(request) -> Response:
    path = (ASSETS / request.path_params["path"]).resolve()
    if not path.is_file() or ASSETS.resolve() not in path.parents:
        return JSONResponse({"detail": "Not found."}, status_code=404)
    return FileResponse(path)


async def home(request) -> Response:
    items = "".join(
        f'<li>{document.name}: <a href="/openapi/{document.name}.yaml">YAML</a> (as shipped), '
        f'<a href="/openapi/{document.name}.json">JSON</a> (served here), '
        f'<a href="/ui/?urls.primaryName={document.name}">in Swagger UI</a></li>'
        for document in spec.DOCUMENTS
    )
    return HTMLResponse(_HOME % items)


async def admin_ui(request) -> Response:
    return RedirectResponse("/ui/?urls.primaryName=mock-admin")


ROUTES = [
    ("/", home),
    ("/openapi/{name}.yaml", raw_document),
    ("/openapi/{name}.json", served_document),
    ("/ui/", swagger_ui),
    ("/ui/assets/{path:path}", asset),
    ("/_mock/ui/", admin_ui),
]


def pages(*more: Route) -> Router:
    """The pages above and `more`, as one ASGI app."""
    return Router([*(Route(path, endpoint) for path, endpoint in ROUTES), *more])
