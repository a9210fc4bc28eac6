"""Where a void's server CPU goes: a `campfire-mock serve` process under cProfile (every thread
timed in its own CPU time: the event loop and the thread-pool workers) while wrk (or the Python
generator) voids N distinct payments over HTTP; prints the costs grouped as issue 11 groups them
and the top functions.

    python benchmarks/profile_void.py [--voids 1000] [--keep FILE.pstats]

Payments are provisioned first by an unprofiled server on the same ledger file; the profiled one
records only the measured voids (after 10 warm-up voids). cProfile slows Python calls down more
than C work, so read the shares as where the interpreter spends its time, not as exact costs.
(py-spy was tried: here it counts the thread pool's idle waits as busy.)
"""
import argparse
import collections
import os
import pstats
import re
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets  # noqa: E402
import load  # noqa: E402
import proc_cpu  # noqa: E402
import servers  # noqa: E402
import standin  # noqa: E402

TODAY = "2026-11-20"
ADMIN_TOKEN = "profile-admin-token"
WARM_UP = 10

# Each function's own CPU time goes to the group of its file; time in a function of no group (the
# standard library, C built-ins such as sqlite3's execute) goes up to its callers, in proportion
# to what each caller made it spend, until it reaches a function that has a group.
OPTIONS = "our options (token, validators, errors, guards, faults, journal)"
GROUPS = [
    ("request log", re.compile(r"mock_server/(web/)?request_log\.py$")),
    (OPTIONS,  # before and after the lead's web/ layer; every request pays for each of them
     re.compile(r"mock_server/(web/)?(auth|request_body|bodies|parameters|call|error_handlers|errors|web_guards"
                r"|guards|faults|latency|facts|journal)\.py$")),
    ("Connexion machinery", re.compile(r"mock_server/web/connexion_once\.py$")),  # connexion's own work, kept
    ("ledger work + rendering", re.compile(r"mock_server/|/sqlite_utils/")),
    ("thread-pool hop", re.compile(r"/(anyio|concurrent/futures)/|/(threading|queue)\.py$|/starlette/concurrency\.py$")),
    ("Connexion machinery", re.compile(r"/(connexion|jsonschema|jsonschema_specifications|referencing)/")),
    ("uvicorn + Starlette + event loop", re.compile(r"/(uvicorn|starlette|h11|httptools|asyncio|uvloop)/")),
]
ORDER = ["uvicorn + Starlette + event loop", "Connexion machinery", OPTIONS,
         "thread-pool hop", "request log", "ledger work + rendering", "other"]


def group_of(function: tuple) -> str | None:
    file = function[0]
    return next((name for name, pattern in GROUPS if pattern.search(file)), None)


def grouped(stats: dict) -> collections.Counter:
    """CPU seconds per group, each unowned function's time passed up its callers."""
    totals = collections.Counter()

    def spread(function, seconds, depth):
        group = group_of(function)
        callers = {caller: figures for caller, figures in stats.get(function, (0, 0, 0, 0, {}))[4].items()
                   if caller != function}
        if group or not callers or depth > 30:
            totals[group or "other"] += seconds
            return
        weights = {caller: figures[2] or figures[1] for caller, figures in callers.items()}  # own time, else calls
        whole = sum(weights.values()) or 1
        for caller, weight in weights.items():
            spread(caller, seconds * weight / whole, depth + 1)

    for function, (_, _, own, _, _) in stats.items():
        spread(function, own, 0)
    return totals


def label(function: tuple) -> str:
    file, line, name = function
    file = re.sub(r"^.*/(site-packages|lib/python3\.\d+)/", "", file).replace(str(servers.ROOT) + "/", "")
    return name if file == "~" else f"{name} ({file}:{line})"


def report(stats: dict, voids: int, cpu_seconds: float) -> str:
    totals = grouped(stats)
    profiled = sum(totals.values()) or 1
    lines = [f"server CPU from /proc: {cpu_seconds / voids * 1e6:,.0f} µs per void (under cProfile); "
             f"profiled thread CPU: {profiled / voids * 1e6:,.0f} µs per void", "",
             "| group | share | µs per void (profiled) |", "|---|---:|---:|"]
    lines += [f"| {name} | {totals[name] / profiled:.0%} | {totals[name] / voids * 1e6:,.0f} |" for name in ORDER]
    wrappers = 0.6 * profiled  # the middleware chain every request passes through says nothing
    for title, column in (("own", 2), ("cumulative (below the middleware chain)", 3)):
        ranked = sorted(((function, figures) for function, figures in stats.items() if figures[3] < wrappers),
                        key=lambda item: item[1][column], reverse=True)[:20]
        lines += ["", f"top 20 functions by {title} CPU (µs per void, calls per void; a coroutine's calls count "
                      "each resumption):"]
        lines += [f"  {figures[column] / voids * 1e6:8,.0f}  {figures[1] / voids:6.1f}  {label(function)}"
                  for function, figures in ranked]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voids", type=int, default=1000)
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--keep", type=Path, help="also keep the raw cProfile stats (pstats) here")
    args = parser.parse_args()
    generator = load.generator(args.loadgen)
    with tempfile.TemporaryDirectory(prefix="campfire-profile-") as work:
        work = Path(work)
        db = datasets.default(work / "ledger.db")
        command = servers.standin(db, TODAY, ADMIN_TOKEN)
        with servers.Server("provisioning", command, work / "provision.log") as server:
            token = standin.api_token(db)
            print(f"provisioning {args.voids + WARM_UP:,} payments (half Stripe)", flush=True)
            pairs = standin.provision(server.url, token, ADMIN_TOKEN, TODAY, args.voids + WARM_UP)
        paths = [f"/coa/api/v1/invoice/{i}/payment/{p}/void/" for i, p in pairs]
        warm = load.write_requests(work / "warm.txt", "POST", paths[:WARM_UP])
        voids = load.write_requests(work / "voids.txt", "POST", paths[WARM_UP:])
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        body = f'{{"void_date": "{TODAY}"}}'
        stats_file = args.keep or work / "void.pstats"
        profiled = [sys.executable, str(Path(__file__).with_name("profiled_serve.py")), str(stats_file), *command[1:]]
        with servers.Server("profiled", profiled, work / "profiled.log") as server:
            load.run(generator, server.url, warm, headers, duration=60, limit=WARM_UP, body=body)
            os.kill(server.pid, signal.SIGUSR1)
            time.sleep(0.2)
            before = proc_cpu.tree_cpu_seconds(server.pid)
            result = load.run(generator, server.url, voids, headers, duration=600, limit=args.voids, body=body)
            cpu = proc_cpu.tree_cpu_seconds(server.pid) - before
        stats = pstats.Stats(str(stats_file)).stats
    print(f"{result.ok:,} of {args.voids:,} voids answered 200 at {result.rps:,.0f} req/s under cProfile "
          f"({generator}, {load.CONNECTIONS} connections); commit {servers.commit()}")
    print(report(stats, args.voids, cpu))
    return 0 if result.ok == args.voids else 1


if __name__ == "__main__":
    sys.exit(main())
