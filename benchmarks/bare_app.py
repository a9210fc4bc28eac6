"""The floor: a bare Starlette route under uvicorn answering the void's JSON (read once from a
file: a real void answer captured by the benchmark), with no validation, no security, no state.

    python benchmarks/bare_app.py --body FILE --port P
"""

import serve_body  # a sibling module: the script runs from benchmarks/
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


def create_app(body: dict) -> Starlette:
    async def void(request):
        return JSONResponse(body)

    return Starlette(
        routes=[Route("/coa/api/v1/invoice/{invoice_id:int}/payment/{payment_id:int}/void/", void, methods=["POST"])]
    )


if __name__ == "__main__":
    serve_body.main(create_app, __doc__.splitlines()[0])
