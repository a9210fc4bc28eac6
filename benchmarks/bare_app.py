"""The floor: a bare Starlette route under uvicorn answering the void's JSON (read once from a
file: a real void answer captured by the benchmark), with no validation, no security, no state.

    python benchmarks/bare_app.py --body FILE --port P
"""
import argparse
import json
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


def create_app(body: dict) -> Starlette:
    async def void(request):
        return JSONResponse(body)

    return Starlette(routes=[Route("/coa/api/v1/invoice/{invoice_id:int}/payment/{payment_id:int}/void/", void,
                                   methods=["POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(json.loads(args.body.read_text())), host="127.0.0.1", port=args.port,
                access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
