"""The server-wide latency (`campfire-mock serve --latency 50-200ms`): a ledger setting, so every
server process on the ledger delays its answers alike; web/faults.py applies it."""

import json
import re

SETTING = "latency_ms"


def parse(text: str) -> tuple[int, int]:
    """`50-200ms`, `100ms`, `0.1s`, `100` (milliseconds) -> (lowest, highest) in milliseconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*(ms|s)?\s*", text)
    if not match:
        raise ValueError(f"not a latency: {text!r} (examples: 50-200ms, 100ms, 0.5s)")
    scale = 1000 if match.group(3) == "s" else 1
    low = round(float(match.group(1)) * scale)
    high = round(float(match.group(2)) * scale) if match.group(2) else low
    if high < low:
        raise ValueError(f"latency range {text!r} goes down")
    return low, high


def store(ledger, latency: tuple[int, int] | None) -> None:
    with ledger.write() as store:
        store.set_setting(SETTING, json.dumps(latency) if latency else None)


def stored(store) -> tuple[int, int] | None:
    value = store.setting(SETTING)
    return tuple(json.loads(value)) if value else None
