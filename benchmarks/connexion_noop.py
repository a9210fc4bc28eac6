"""Connexion's own cost: a Connexion 3 AsyncApp serving spec/void-invoice-payment.yaml as it is,
every operation resolved to a no-op handler answering the void's JSON (read once from a file),
the API token accepted by a dictionary-cheap check.

    python benchmarks/connexion_noop.py --body FILE --port P
"""

import os
from pathlib import Path

import connexion
import serve_body  # a sibling module: the script runs from benchmarks/
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


if __name__ == "__main__":
    serve_body.main(create_app, __doc__.splitlines()[0])
