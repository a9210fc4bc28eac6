"""`make bench`: the stand-in side by side with a bare Starlette route, a Connexion no-op and
Stoplight Prism on the same document, in interleaved rounds, on this machine.

    python benchmarks/bench.py [--rounds 3] [--quick] [--payments 100000] [--loadgen auto|wrk|python]
                               [--baseline GIT-REF]

Each round starts every server in turn (the order rotates per round), loads it with wrk (one
thread, 8 connections; the Python generator when wrk is missing) and reads the CPU time its
process tree burnt. Stand-in voids each void a distinct, freshly provisioned payment (half Stripe,
half manual); after each void run the benchmark checks that every payment voided was answered
exactly one 200, that a second void is refused, and that the ledger invariants hold. With
--baseline, the stand-in of that commit (checked out in a temporary git worktree, its own ledger
seeded and provisioned by its own code) voids in the same rounds, so a change is measured against
what it changed on the same machine. Prints medians over the rounds and the ratios set as goals;
exits 1 when a check failed.
"""

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import datasets  # noqa: E402
import load  # noqa: E402
import proc_cpu  # noqa: E402
import servers  # noqa: E402
import standin  # noqa: E402
from load_result import Load  # noqa: E402

TODAY = "2026-11-20"  # pinned on the stand-in; the default dataset's books are open then
ADMIN_TOKEN = "bench-admin-token"
VOID_BODY = json.dumps({"void_date": TODAY})
WARM_UP = 10  # voids sent (each a distinct payment) before each measured stand-in void run
REVOID_PROBES = 3
WORK = servers.ROOT / "reports" / "bench"

VOID = "stand-in void (half Stripe)"
VOID_WORKERS = "stand-in void, serve --workers 2"
GET_ONE = "stand-in GET /coa/api/v1/invoice/{id}/"
LIST = "stand-in GET /coa/api/v1/invoice/?limit=100"
BARE = "bare Starlette + uvicorn, the void's JSON"
CONNEXION = "Connexion 3 no-op on the seed"
PRISM = "Stoplight Prism 5 mocking the seed"


def large_label(label: str, payments: int) -> str:
    return f"{label} at {payments:,} payments"


@dataclass
class Measurement:
    load: Load
    cpu_seconds: float

    @property
    def cpu_us(self) -> float:
        return self.cpu_seconds / max(self.load.responses, 1) * 1e6


@dataclass
class VoidPool(standin.HandedOutOnce):
    """Provisioned payments on one ledger file, handed out once each, in order."""

    dataset: str
    db: Path
    token: str
    pairs: list[tuple[int, int]]
    used: int = 0

    @property
    def label(self) -> str:
        return self.db.name


@dataclass
class Bench:
    args: argparse.Namespace
    generator: str
    workers: bool
    load_at_start: float
    results: dict[str, list[Measurement]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    ready: dict[str, list[float]] = field(default_factory=dict)
    invoice_paths: list[str] = field(default_factory=list)
    body_file: Path = WORK / "void-answer.json"

    # --- setup -------------------------------------------------------------------------------

    def pool(self, dataset: str, source: Path, count: int, tree: servers.Tree = servers.THIS) -> VoidPool:
        """A copy of `source` with `count` fresh payments provisioned through the admin API; on the
        first pool, also the default invoices to read and a real void's JSON (one more payment),
        which the bare route and the Connexion no-op answer."""
        db = datasets.copy(source, WORK / f"voids-{dataset.split()[0]}.db")
        capture = not self.body_file.exists()
        with self.start(
            f"stand-in, {dataset}, provisioning", servers.standin(db, TODAY, ADMIN_TOKEN, tree=tree), tree
        ) as server:
            token = standin.api_token(db, tree)
            auth = {"Authorization": f"Token {token}"}
            if capture:
                page = httpx.get(f"{server.url}/coa/api/v1/invoice/", params={"limit": 1000}, headers=auth).json()
                self.invoice_paths = [f"/coa/api/v1/invoice/{row['id']}/" for row in page["results"]]
            print(f"provisioning {count + capture:,} payments (half Stripe) in {db.name}", flush=True)
            pool = VoidPool(
                dataset, db, token, standin.provision(server.url, token, ADMIN_TOKEN, TODAY, count + capture)
            )
            if capture:
                invoice_id, payment_id = pool.take(1)[0]
                answer = httpx.post(
                    f"{server.url}/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/",
                    headers=auth,
                    json={"void_date": TODAY},
                )
                answer.raise_for_status()
                self.body_file.write_text(answer.text)
        return pool

    # --- one measured load ------------------------------------------------------------------

    @contextlib.contextmanager
    def start(self, name: str, command: list[str], tree: servers.Tree = servers.THIS):
        """The server running; its start-up time (to the first answer) recorded under `name`."""
        log = WORK / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.log"
        with servers.Server(name, command, log, tree=tree) as server:
            self.ready.setdefault(name, []).append(server.ready_seconds)
            yield server

    def measure(
        self,
        label: str,
        server: servers.Server,
        requests: Path,
        *,
        limit: int = 0,
        token: str = "bench",
        body: str = VOID_BODY,
    ) -> Load:
        """One load, recorded under `label`, each request with `body` as JSON ("": no body and no
        Content-Type, as a client reads). A load bounded by time is preceded by an unrecorded
        one of `--warm-up` seconds on the same requests (Prism's JIT needs it)."""
        headers = {"Authorization": f"Token {token}", **({"Content-Type": "application/json"} if body else {})}
        if not limit:
            load.run(self.generator, server.url, requests, headers, duration=self.args.warm_up, body=body)
        before = proc_cpu.tree_cpu_seconds(server.pid)
        result = load.run(
            self.generator,
            server.url,
            requests,
            headers,
            body=body,
            limit=limit,
            duration=self.args.void_cap if limit else self.args.duration,
        )
        cpu = proc_cpu.tree_cpu_seconds(server.pid) - before
        self.results.setdefault(label, []).append(Measurement(result, cpu))
        print(
            f"  {label:<52} {result.rps:>8.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
            f"  {cpu / max(result.responses, 1) * 1e6:7.0f} us CPU/req  ({result.answered} answered)",
            flush=True,
        )
        if result.other and not limit:
            self.failures.append(f"{label}: {result.other} answers were not 200")
        return result

    # --- the servers ------------------------------------------------------------------------

    def standin_voids(
        self,
        label: str,
        pool: VoidPool,
        workers: int = 1,
        options: tuple[str, ...] = (),
        tree: servers.Tree = servers.THIS,
    ) -> None:
        pairs = pool.take(WARM_UP + self.args.voids)
        paths = [f"/coa/api/v1/invoice/{i}/payment/{p}/void/" for i, p in pairs]
        requests = load.write_requests(WORK / "voids.txt", "POST", paths[WARM_UP:])
        name = ", ".join([f"stand-in, {pool.dataset}", *options] + ([f"--workers {workers}"] if workers > 1 else []))
        with self.start(name, servers.standin(pool.db, TODAY, ADMIN_TOKEN, workers, options, tree), tree) as server:
            with httpx.Client(base_url=server.url, headers={"Authorization": f"Token {pool.token}"}) as http:
                for path in paths[:WARM_UP]:  # first requests pay for lazy set-up; not recorded
                    http.post(path, json={"void_date": TODAY})
            result = self.measure(label, server, requests, limit=self.args.voids, token=pool.token)
            self.check_voids(label, server, pool, pairs, result)

    def standin_reads(self, dataset: str, db: Path, reads: list[tuple[str, Path]]) -> None:
        token = standin.api_token(db)
        with self.start(f"stand-in, {dataset}, reads", servers.standin(db, TODAY, ADMIN_TOKEN)) as server:
            for label, requests in reads:
                self.measure(label, server, requests, token=token, body="")

    def stateless(self, label: str, command: list[str], voids: Path) -> None:
        with self.start(label.split(",")[0], command) as server:
            self.measure(label, server, voids)

    # --- checks after each stand-in void run ------------------------------------------------

    def check_voids(self, label: str, server: servers.Server, pool: VoidPool, pairs, result: Load) -> None:
        problems = []
        if result.answered != self.args.voids or result.ok != result.answered:
            problems.append(
                f"{result.ok} of {self.args.voids} voids answered 200 ({result.other} other, "
                f"{result.answered} answered within the {self.args.void_cap} s cap)"
            )
        provisioned = {payment for _, payment in pool.pairs}
        requested = {payment for _, payment in pool.pairs[: pool.used]}
        voided = standin.voided_payment_ids(server.url, pool.token) & provisioned
        if voided != requested:
            problems.append(
                f"voided without a request: {sorted(voided - requested)[:5]}, "
                f"requested but not voided: {sorted(requested - voided)[:5]}"
            )
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Token {pool.token}"}) as http:
            for invoice_id, payment_id in pairs[:REVOID_PROBES]:
                again = http.post(
                    f"/coa/api/v1/invoice/{invoice_id}/payment/{payment_id}/void/", json={"void_date": TODAY}
                )
                if again.status_code == 200:
                    problems.append(f"payment {payment_id} answered a second 200")
        report = standin.invariants(server.url, ADMIN_TOKEN)
        if not report["healthy"]:
            problems.append(f"ledger invariants violated: {report['violations'][:3]}")
        self.failures.extend(f"{label}: {problem}" for problem in problems)
        print(
            f"  check: {len(pairs)} payments, each one 200, second void refused, invariants "
            f"{'healthy' if report['healthy'] else 'VIOLATED'}"
            if not problems
            else f"  CHECK FAILED: {problems}",
            flush=True,
        )


def baseline_label(ref: str) -> str:
    return f"stand-in void (half Stripe) at {ref}, before"


def run(args: argparse.Namespace) -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    for stale in WORK.glob("*"):
        stale.unlink()
    baseline = servers.checkout(args.baseline) if args.baseline else None
    try:
        return _run(args, baseline)
    finally:
        if baseline:
            servers.remove(baseline)


def _run(args: argparse.Namespace, baseline: servers.Tree | None) -> int:
    bench = Bench(args, load.generator(args.loadgen), servers.serve_accepts_workers(), os.getloadavg()[0])
    prism = servers.prism()
    default_db = datasets.default(WORK / "default.db")
    per_run = WARM_UP + args.voids
    voids = bench.pool("default", default_db, per_run * args.rounds * (3 if bench.workers else 2))
    reads_db = datasets.copy(default_db, WORK / "reads.db")
    one = load.write_requests(WORK / "get-one.txt", "GET", bench.invoice_paths)
    page = load.write_requests(WORK / "list.txt", "GET", ["/coa/api/v1/invoice/?limit=100"])
    fake = load.write_requests(
        WORK / "fake-voids.txt", "POST", [f"/coa/api/v1/invoice/{n}/payment/{n}/void/" for n in range(1, 1001)]
    )

    runs = [
        lambda: bench.standin_voids(VOID, voids),
        lambda: bench.standin_reads("default", reads_db, [(GET_ONE, one), (LIST, page)]),
        lambda: bench.stateless(BARE, servers.bare(bench.body_file), fake),
        lambda: bench.stateless(CONNEXION, servers.connexion_noop(bench.body_file), fake),
    ]
    if baseline:
        baseline_db = datasets.default(WORK / "baseline.db", baseline)
        baseline_voids = bench.pool("baseline", baseline_db, per_run * args.rounds, baseline)
        runs.append(lambda: bench.standin_voids(baseline_label(args.baseline), baseline_voids, tree=baseline))
    if bench.workers:
        runs.append(lambda: bench.standin_voids(VOID_WORKERS, voids, workers=2))
    if prism:
        runs.append(lambda: bench.stateless(PRISM, prism, fake))
    if args.payments:
        large = datasets.large(args.payments, default_db)
        large_voids = bench.pool(f"{args.payments:,} payments", large, per_run * args.rounds)
        large_reads = datasets.copy(large, WORK / "large-reads.db")
        runs.append(lambda: bench.standin_voids(large_label(VOID, args.payments), large_voids))
        runs.append(
            lambda: bench.standin_reads(
                f"{args.payments:,} payments", large_reads, [(large_label(LIST, args.payments), page)]
            )
        )

    for round_number in range(args.rounds):
        print(f"round {round_number + 1}/{args.rounds}", flush=True)
        shift = round_number % len(runs)
        for step in runs[shift:] + runs[:shift]:
            step()
    for db in WORK.glob("*.db"):
        db.unlink()
    print()
    print(report(bench, prism is not None))
    for failure in bench.failures:
        print(f"CHECK FAILED: {failure}")
    return 1 if bench.failures else 0


# --- the report ---------------------------------------------------------------------------


def median(bench: Bench, label: str, figure) -> float | None:
    rows = bench.results.get(label)
    return statistics.median(figure(row) for row in rows) if rows else None


def machine(load_at_start: float) -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    return (
        f"commit {servers.commit()}; {os.cpu_count()} cores, {model}; load average {load_at_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end"
    )


def report(bench: Bench, with_prism: bool) -> str:
    args = bench.args
    lines = [
        machine(bench.load_at_start),
        f"{bench.generator}, 1 thread, {load.CONNECTIONS} connections; {args.rounds} interleaved round(s); "
        f"{args.duration:g} s per load, {args.voids:,} distinct voids per stand-in void run; medians",
        "",
        "| | req/s | p50 | p99 | server CPU per request | per round req/s |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, rows in bench.results.items():
        lines.append(
            f"| {label} | {median(bench, label, lambda m: m.load.rps):,.0f} "
            f"| {median(bench, label, lambda m: m.load.p50_ms):.1f} ms "
            f"| {median(bench, label, lambda m: m.load.p99_ms):.1f} ms "
            f"| {median(bench, label, lambda m: m.cpu_us):,.0f} µs "
            f"| {' / '.join(f'{m.load.rps:,.0f}' for m in rows)} |"
        )
    lines += [
        "",
        "ready to serve (process start to first answer, median): "
        + ", ".join(f"{name} {statistics.median(seconds):.2f} s" for name, seconds in bench.ready.items()),
        "",
        "| ratio | goal | measured |",
        "|---|---|---:|",
    ]

    def ratio(name, goal, top, bottom):
        value = top / bottom if top is not None and bottom else None
        lines.append(f"| {name} | {goal} | {f'{value:.2f}x' if value is not None else 'n/a'} |")

    rps = lambda label: median(bench, label, lambda m: m.load.rps)  # noqa: E731
    p99 = lambda label: median(bench, label, lambda m: m.load.p99_ms)  # noqa: E731
    cpu = lambda label: median(bench, label, lambda m: m.cpu_us)  # noqa: E731
    prism_note = "" if with_prism else " (prism not on PATH)"
    ratio(f"void req/s vs Prism void{prism_note}", ">= 1x", rps(VOID), rps(PRISM))
    ratio("void p99 vs Prism void p99", "< 1x", p99(VOID), p99(PRISM))
    ratio("GET one invoice req/s vs Prism void", ">= 3x", rps(GET_ONE), rps(PRISM))
    ratio("server CPU per void vs bare Starlette", "<= 6x", cpu(VOID), cpu(BARE))
    ratio("server CPU per void vs Connexion no-op", "", cpu(VOID), cpu(CONNEXION))
    if args.baseline:
        before = baseline_label(args.baseline)
        ratio(f"void req/s vs {args.baseline}", "", rps(VOID), rps(before))
        ratio(f"void p99 vs {args.baseline}", "", p99(VOID), p99(before))
        ratio(f"server CPU per void vs {args.baseline}", "", cpu(VOID), cpu(before))
    if args.payments:
        ratio(
            f"list ?limit=100 CPU at {args.payments:,} payments vs default",
            "<= 1.5x",
            cpu(large_label(LIST, args.payments)),
            cpu(LIST),
        )
        ratio(
            f"void CPU at {args.payments:,} payments vs default",
            "flat",
            cpu(large_label(VOID, args.payments)),
            cpu(VOID),
        )
    else:
        ratio("list ?limit=100 CPU at 100,000 payments vs default (run with --payments 100000)", "<= 1.5x", None, None)
    ratio(
        "void req/s, serve --workers 2 vs 1" + ("" if bench.workers else " (serve has no --workers yet)"),
        "scaling",
        rps(VOID_WORKERS),
        rps(VOID),
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("ROUNDS", 3)))
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per load (stateless and reads)")
    parser.add_argument("--warm-up", type=float, default=2.0, help="unrecorded seconds before a timed load")
    parser.add_argument("--voids", type=int, default=2000, help="distinct voids per stand-in void run")
    parser.add_argument("--void-cap", type=float, default=120.0, help="seconds a void run may take at most")
    parser.add_argument("--payments", type=int, default=0, help="also benchmark void and list on this many payments")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round, 2 s loads, 200 voids")
    parser.add_argument("--loadgen", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--baseline", metavar="GIT-REF", help="also void with the stand-in of this commit")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.duration, args.warm_up, args.voids = 1, 2.0, 1.0, 200
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
