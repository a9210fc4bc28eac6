"""One load run against a server: wrk when installed (one thread, 8 connections, requests.lua),
the bounded Python generator otherwise. Both send each line of a request file in order, once
when `limit` is set (stop after `limit` answers) or cycling until `duration` ends."""

import json
import shutil
import subprocess
from pathlib import Path

import pyload
from load_result import Load

HERE = Path(__file__).resolve().parent
CONNECTIONS = 8


def generator(choice: str) -> str:
    """'wrk' or 'python': `choice` when given, wrk when it is on PATH otherwise."""
    if choice == "auto":
        return "wrk" if shutil.which("wrk") else "python"
    return choice


def write_requests(path: Path, method: str, paths: list[str]) -> Path:
    path.write_text("".join(f"{method} {p}\n" for p in paths))
    return path


def run(
    kind: str,
    url: str,
    requests_file: Path,
    headers: dict,
    *,
    duration: float,
    limit: int = 0,
    body: str = "",
    connections: int = CONNECTIONS,
) -> Load:
    if kind == "python":
        return pyload.run(
            url, requests_file, headers, duration=duration, limit=limit, body=body, connections=connections
        )
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command += ["-s", str(HERE / "requests.lua"), url, "--", str(requests_file), str(limit), body]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no BENCH line:\n{output}")
    figures = json.loads(line[len("BENCH ") :])
    return Load(
        answered=figures["answered"],
        ok=figures["ok"],
        other=figures["other"],
        responses=figures["responses"],
        elapsed=figures["elapsed_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        socket_errors=figures["socket_errors"],
    )
