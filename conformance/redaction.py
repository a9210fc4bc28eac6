"""Secrets never leave the process: every text the harness prints and every file a run writes
passes through here, each token replaced by the environment variable a reader holds it in
($CAMPFIRE_TARGET_TOKEN), whatever put it there (a report, a cassette, an exception's text)."""

from pathlib import Path

# Shorter values cannot be told apart from ordinary words; no real API token is that short.
SHORTEST_SECRET = 6


def _pairs(secrets: dict[str, str]) -> list[tuple[str, str]]:
    """(secret, placeholder), longest first (a token may contain another)."""
    return sorted(
        ((secret, f"${variable}") for secret, variable in secrets.items() if secret and len(secret) >= SHORTEST_SECRET),
        key=lambda pair: -len(pair[0]),
    )


def redact(text: str, secrets: dict[str, str]) -> str:
    for secret, placeholder in _pairs(secrets):
        text = text.replace(secret, placeholder)
    return text


def redact_files(paths, secrets: dict[str, str]) -> None:
    """Rewrite each file that holds a secret, byte for byte otherwise."""
    pairs = [(secret.encode(), placeholder.encode()) for secret, placeholder in _pairs(secrets)]
    for path in map(Path, paths):
        if not path.is_file():
            continue
        content = original = path.read_bytes()
        for secret, placeholder in pairs:
            content = content.replace(secret, placeholder)
        if content != original:
            path.write_bytes(content)


def redact_tree(directory: Path, secrets: dict[str, str]) -> None:
    """Every file under `directory` (a fuzz run's report directory)."""
    redact_files((path for path in Path(directory).rglob("*") if path.is_file()), secrets)
