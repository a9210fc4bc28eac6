"""The stand-in's default dataset (fixtures/default/*.jsonl) in the reference's SQLite: the same
ids and the same token keys (stored as knox stores them: a digest and the key's first characters)."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS

from . import models

DATASET = Path(__file__).resolve().parents[2] / "fixtures" / "default"
TABLES = [
    ("organizations", models.Organization),
    ("entities", models.Entity),
    ("customers", models.Client),
    ("invoices", models.Invoice),
    ("journal_entries", models.JournalEntry),
    ("credit_memos", models.CreditMemo),
    ("bank_transactions", models.BankTransaction),
    ("payments", models.Payment),
]


def rows(table: str) -> list[dict]:
    return [json.loads(line) for line in (DATASET / f"{table}.jsonl").read_text().splitlines() if line.strip()]


def load() -> None:
    """Create the tables and fill them; the database named in settings must be empty."""
    call_command("migrate", run_syncdb=True, verbosity=0)
    for table, model in TABLES:
        columns = {field.attname for field in model._meta.concrete_fields}
        model.objects.bulk_create(
            model(**{key: value for key, value in row.items() if key in columns}) for row in rows(table)
        )
    for number, token in enumerate(rows("tokens"), 1):
        user = get_user_model().objects.create(username=f"user{number}", first_name=token["name"])
        models.Member.objects.create(user=user, organization_id=token["organization_id"], role=token["role"])
        AuthToken(
            user=user, digest=hash_token(token["key"]), token_key=token["key"][: CONSTANTS.TOKEN_KEY_LENGTH]
        ).save()
