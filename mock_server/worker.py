"""The app of one process of `campfire-mock serve --workers N`.

uvicorn starts each worker by importing this factory; the parent process has prepared the
ledger file and describes the rest in the CAMPFIRE_MOCK_WORKER environment variable (JSON).
Every worker opens the same file or PostgreSQL database: writes are serialized (BEGIN IMMEDIATE,
or an advisory lock), reads run in parallel, and everything a request can change lives in the ledger.
"""

import json
import os

from .serving import configure_logging, served
from .standin import StandIn
from .storage import open_ledger
from .web.app import create_app

ENVIRONMENT = "CAMPFIRE_MOCK_WORKER"


def describe(db: str, admin_token: str, host: str, allowed_hosts: list[str] | None, max_body_bytes: int) -> None:
    """Set what each worker needs to build its app (called by the parent before it forks)."""
    os.environ[ENVIRONMENT] = json.dumps(
        {
            "db": db,
            "admin_token": admin_token,
            "host": host,
            "allowed_hosts": allowed_hosts,
            "max_body_bytes": max_body_bytes,
        }
    )


def app():
    configure_logging()
    settings = json.loads(os.environ[ENVIRONMENT])
    standin = StandIn(open_ledger(settings["db"]), admin_token=settings["admin_token"])
    return served(
        create_app(standin),
        settings["host"],
        allowed_hosts=settings["allowed_hosts"],
        max_body_bytes=settings["max_body_bytes"],
        log_requests=True,
    )
