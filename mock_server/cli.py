"""`campfire-mock`: run and inspect the stand-in."""

import json
import re
import sys
import tempfile
from pathlib import Path

import click

from mock_server import spec
from mock_server.fixtures import DEFAULT

from .admin_token import shared as shared_admin_token
from .domain import organizations
from .domain.errors import DatasetConflict
from .standin import StandIn
from .storage import StorageError, datasets, invariants, is_postgres_url, open_ledger
from .web import latency as server_latency
from .web.guards import MAX_BODY_BYTES


def _fail(message: str):
    click.echo(f"campfire-mock: {message}", err=True)
    sys.exit(2)


def _ledger(db: str, existing: bool = False):
    """The ledger `db` names (a SQLite file, "memory" or a postgresql:// URL); one line and exit 2
    when it cannot be opened, or with `existing` when the file is not there."""
    if existing and db != "memory" and not is_postgres_url(db) and not Path(db).is_file():
        _fail(
            f"no ledger at {db}; `campfire-mock serve` keeps its ledger in memory unless given --db FILE "
            "(`make mock` serves campfire-mock.db)"
        )
    try:
        return open_ledger(db)
    except StorageError as exc:
        _fail(str(exc))


def _without_password(db: str) -> str:
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", db)


def _load(ledger, choice: str) -> dict:
    if choice == "none":
        return {}
    return datasets.load(ledger, DEFAULT if choice == "default" else Path(choice))


def _tokens(ledger) -> list[dict]:
    with ledger.read() as store:
        return store.tokens()


def _voidable_payment(ledger) -> dict | None:
    with ledger.read() as store:
        return store.voidable_stripe_payment()


def _print_tokens(rows, admin_token: str | None = None) -> None:
    for row in rows:
        click.echo(f"  {row['organization']:<20} {row['role']:<10} {row['key']}")
    if admin_token:
        click.echo(f"  {'admin API (/_mock)':<20} {'header':<10} X-Mock-Admin-Token: {admin_token}")


def _latency(ctx, param, value: str | None) -> tuple[int, int] | None:
    try:
        return server_latency.parse(value) if value else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


db_option = click.option(
    "--db",
    default="campfire-mock.db",
    show_default=True,
    help='SQLite file, "memory" for a throwaway ledger, or a postgresql:// URL.',
)


class OneLineErrors(click.Group):
    """A command's failure as one line and exit 2, no traceback: a file or directory that is not
    there, a port taken, a dataset already loaded."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (OSError, StorageError, DatasetConflict) as exc:
            _fail(f"{exc.strerror}: {exc.filename}" if getattr(exc, "filename", None) else str(exc))


@click.group(cls=OneLineErrors)
def main():
    """A local stand-in for Campfire's Void Invoice Payment API, with a real SQLite ledger."""


LOOPBACK = ("127.0.0.1", "localhost", "::1")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--db", default="memory", show_default=True, help='SQLite file, or "memory".')
@click.option(
    "--database",
    envvar="CAMPFIRE_DATABASE_URL",
    help="postgresql://USER@HOST:PORT/DB: the ledger on PostgreSQL, shared by every server on it (instead of --db).",
)
@click.option(
    "--fixtures",
    "dataset",
    default="default",
    show_default=True,
    help="default, none, or a directory of .jsonl table files (loaded into an empty ledger).",
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Pin today's date (void_date default).")
@click.option(
    "--admin-token",
    envvar="CAMPFIRE_MOCK_ADMIN_TOKEN",
    help="Admin API token (if absent: the one stored in the ledger by a server before, else random).",
)
@click.option("--random-tokens", is_flag=True, help="Replace the dataset's published API tokens with random ones.")
@click.option(
    "--allowed-hosts",
    help="Comma-separated Host values to answer (Django's rules; * for any). "
    "Default: the bind address, localhost, 127.0.0.1.",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(1),
    default=MAX_BODY_BYTES,
    show_default=True,
    help="Larger request bodies are refused with 413.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the ledger file.",
)
@click.option(
    "--latency",
    callback=_latency,
    help="Delay every answer: 100ms, or a range drawn from for each request, e.g. 50-200ms.",
)
@click.option(
    "--max-sandboxes",
    type=click.IntRange(0),
    default=1000,
    show_default=True,
    help="Sandboxes (POST /_mock/sandboxes) that may exist at once; past it 429.",
)
def serve(
    host,
    port,
    db,
    database,
    dataset,
    today,
    admin_token,
    random_tokens,
    allowed_hosts,
    max_body_bytes,
    workers,
    latency,
    max_sandboxes,
):
    """Serve the API; prints the base URL, the tokens and the Swagger UI address."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from . import worker
    from .serving import configure_logging, listening_socket, server_config
    from .web.app import create_app
    from .web.guards import uvicorn_config

    scratch = None
    if database and not is_postgres_url(database):
        click.echo(
            f"campfire-mock: --database takes a postgresql://USER@HOST:PORT/DB URL, not {_without_password(database)!r}",
            err=True,
        )
        sys.exit(2)
    try:  # first: a port taken leaves no trace (no ledger file, no banner)
        sock = listening_socket(host, port)
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror}")
    db = database or db
    if db == "memory" and workers > 1:  # the workers must share one file
        scratch = tempfile.TemporaryDirectory(prefix="campfire-mock-")
        db = str(Path(scratch.name) / "ledger.db")
    ledger = _ledger(db)
    with ledger.read() as store:
        empty = store.count("organizations") == 0
    if empty:
        try:
            _load(ledger, dataset)
        except DatasetConflict:  # another server on the same database loaded it first
            pass
    admin_token, replaced = shared_admin_token(ledger, admin_token)
    if replaced:
        click.echo(
            "warning: --admin-token replaces the admin token stored in the ledger; servers already "
            "running on it answer the old one until they restart.",
            err=True,
        )
    standin = StandIn(ledger, admin_token=admin_token, max_sandboxes=max_sandboxes)
    standin.start()
    if today:
        standin.pin_today(today.date())
    if random_tokens:
        with ledger.write() as store:
            organizations.randomize_tokens(store)
    server_latency.store(ledger, latency)
    hosts = allowed_hosts.split(",") if allowed_hosts else None
    base = f"http://{host}:{port}"
    click.echo(
        f"Campfire stand-in on {base}  (ledger: {_without_password(db)}, today: {standin.today()}, workers: {workers})"
    )
    click.echo(f"Swagger UI: {base}/ui/ (every document; admin API: {base}/_mock/ui/)")
    click.echo(f"Documents: {base}/openapi/void-invoice-payment.yaml, companion.yaml, mock-admin.yaml")
    click.echo("Tokens (send as 'Authorization: Token <key>'):")
    _print_tokens(_tokens(ledger), standin.admin_token)
    sample = _voidable_payment(ledger)
    if sample:
        click.echo(
            f"Try a void: curl -X POST -H 'Authorization: Token {sample['token']}' "
            f"{base}{spec.void_path(sample['invoice_id'], sample['payment_id'])}"
        )
    if host not in LOOPBACK:
        click.echo(
            f"warning: serving on {host}, beyond this machine; "
            + (
                "the tokens above are random."
                if random_tokens
                else "the dataset's tokens are published: use --random-tokens."
            ),
            err=True,
        )
    configure_logging()
    options = dict(access_log=False, log_level="warning")
    if workers == 1:
        config = server_config(
            create_app(standin),
            host,
            port,
            allowed_hosts=hosts,
            max_body_bytes=max_body_bytes,
            log_requests=True,
            **options,
        )
        uvicorn.Server(config).run(sockets=[sock])
    else:
        ledger.close()
        worker.describe(db, standin.admin_token, host, hosts, max_body_bytes)
        config = uvicorn_config("mock_server.worker:app", host, port, factory=True, workers=workers, **options)
        Multiprocess(config, sockets=[sock]).run()
    if scratch:
        scratch.cleanup()


@main.command()
@db_option
@click.option("--fixtures", "dataset", default="default", show_default=True)
def seed(db, dataset):
    """Load a dataset into the ledger file."""
    counts = _load(_ledger(db), dataset)
    click.echo(", ".join(f"{table} {n:,}" for table, n in counts.items()))


@main.command()
@db_option
def reset(db):
    """Empty the ledger file (tables kept)."""
    _ledger(db, existing=True).reset()
    click.echo(f"{db}: emptied")


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
def check(db, as_json):
    """Check the ledger invariants; exit 1 when any is violated."""
    ledger = _ledger(db, existing=True)
    with ledger.read() as store:
        result = invariants.report(store)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        for row in result["trial_balance"]:
            click.echo(
                f"  entity {row['entity_id']} {row['number']} {row['name']:<28} "
                f"Dr {row['debit_minor']:>14,} Cr {row['credit_minor']:>14,} {row['currency']}"
            )
        for violation in result["violations"]:
            click.echo(f"VIOLATED {violation['invariant']}: {violation['detail']}")
        click.echo("ledger healthy" if result["healthy"] else f"{len(result['violations'])} violation(s)")
    sys.exit(0 if result["healthy"] else 1)


@main.command()
@db_option
def tokens(db):
    """Print who is who: every API token with its organization and role."""
    _print_tokens(_tokens(_ledger(db, existing=True)))


if __name__ == "__main__":
    main()
