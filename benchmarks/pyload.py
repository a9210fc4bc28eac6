"""The load generator when wrk is not installed: asyncio + httpx, a fixed number of concurrent
connections, bounded by a request count and a duration. Slower than wrk (it shares the two cores
with the server), so its figures are a floor for fast servers."""

import asyncio
import time
from pathlib import Path

import httpx
from load_result import Load


def _percentile(sorted_values: list[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * fraction))] if sorted_values else 0.0


async def _run(url, lines, headers, duration, limit, body, connections):
    total = limit or None
    latencies, statuses = [], []
    next_index = 0
    deadline = time.monotonic() + duration
    started = time.monotonic()
    last = started

    async def worker(client):
        nonlocal next_index, last
        while time.monotonic() < deadline and (total is None or next_index < total):
            method, path = lines[next_index % len(lines)]
            next_index += 1
            sent = time.perf_counter()
            response = await client.request(method, path, content=body if method == "POST" and body else None)
            latencies.append((time.perf_counter() - sent) * 1000)
            statuses.append(response.status_code)
            last = time.monotonic()

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits, timeout=30) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    latencies.sort()
    ok = statuses.count(200)
    return Load(
        answered=len(statuses),
        ok=ok,
        other=len(statuses) - ok,
        responses=len(statuses),
        elapsed=last - started,
        p50_ms=_percentile(latencies, 0.5),
        p99_ms=_percentile(latencies, 0.99),
    )


def run(url: str, requests_file: Path, headers: dict, *, duration: float, limit: int, body: str, connections: int):
    lines = [tuple(line.split(" ", 1)) for line in requests_file.read_text().splitlines() if line]
    return asyncio.run(_run(url, lines, headers, duration, limit, body, connections))
