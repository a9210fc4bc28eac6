"""Connexion's own cost: a Connexion 3 AsyncApp serving spec/void-invoice-payment.yaml as it is,
every operation resolved to a no-op handler answering the void's JSON (read once from a file),
the API token accepted by a dictionary-cheap check.

    python benchmarks/connexion_noop.py --body FILE --port P
"""
import argparse
import json
import os
from pathlib import Path

import connexion
import uvicorn
from connexion.resolver import Resolver

SEED = Path(__file__).resolve().parent.parent / "spec" / "void-invoice-payment.yaml"


def accept_token(apikey, required_scopes=None):
    """The seed's knoxApiToken scheme: any 'Token <key>' passes."""
    return {"sub": apikey} if apikey.startswith("Token ") else None


def create_app(body: dict) -> connexion.AsyncApp:
    async def void(**_arguments):
        return body

    # The seed names no x-apikeyInfoFunc; connexion falls back to this variable.
    os.environ["APIKEYINFO_FUNC"] = f"{__name__}.accept_token"
    app = connexion.AsyncApp(__name__, specification_dir=str(SEED.parent))
    app.add_api(SEED.name, resolver=Resolver(function_resolver=lambda _operation_id: void))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(json.loads(args.body.read_text())), host="127.0.0.1", port=args.port,
                access_log=False, log_level="warning")


if __name__ == "__main__":
    main()
