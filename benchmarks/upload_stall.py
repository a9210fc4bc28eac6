"""Do other clients stall while someone uploads a huge body? Prints their GET latency (p50, p99)
while idle and while another process streams 100 MB bodies, over and over, to the server.
Target from the issue: p99 under 50 ms during the upload.

    python benchmarks/upload_stall.py [--target guarded|bare|standin] [--megabytes 100] [--seconds 5]
                                      [--content-length] [--serve-args "..."]

Targets, each a server process of its own on a free 127.0.0.1 port:
- guarded: a tiny Starlette app (GET /ping, POST /upload reading the whole body) behind
  mock_server.web.guards (1 MiB body cap, guarded h11 protocol);
- bare: the same app on plain uvicorn, no guard (the comparison);
- standin: `campfire-mock serve` (GET /coa/api/entity, uploads to POST /coa/api/v1/invoice/);
  `--serve-args` adds flags (e.g. a body cap once `serve` has one).
The body is sent chunked (no length, so the cap must count while it streams) unless
--content-length. Bounded: it stops after --seconds of load.
"""
import argparse
import multiprocessing
import re
import shlex
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mock_server.serving import free_port  # noqa: E402

CHUNK = b"x" * 65536


def tiny_app():
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def ping(request):
        return JSONResponse({"ok": True})

    async def upload(request):
        return JSONResponse({"size": len(await request.body())})

    return Starlette(routes=[Route("/ping", ping), Route("/upload", upload, methods=["POST"])])


def serve_tiny(port: int, guarded: bool) -> None:
    """The server process of the guarded and bare targets."""
    import uvicorn

    from mock_server.web.guards import default_allowed_hosts, guard, uvicorn_config
    if guarded:
        app = guard(tiny_app(), allowed_hosts=default_allowed_hosts("127.0.0.1"))
        uvicorn.Server(uvicorn_config(app, "127.0.0.1", port, log_level="warning")).run()
    else:
        uvicorn.run(tiny_app(), host="127.0.0.1", port=port, log_level="warning")


def start(target: str, port: int, serve_args: str) -> tuple[subprocess.Popen, dict]:
    """The server process, and where the GETs and uploads go."""
    if target == "standin":
        command = ["campfire-mock", "serve", "--port", str(port), "--db", "memory", *shlex.split(serve_args)]
        process = subprocess.Popen([str(Path(sys.executable).parent / command[0]), *command[1:]],
                                   stdout=subprocess.PIPE, text=True)
        token = None
        for line in process.stdout:  # the tokens are printed before the server listens
            token = token or (re.search(r"\b(\w+_admin_[0-9a-f]+)\b", line) or [None, None])[1]
            if line.startswith("Try a void"):
                break
        # keep reading its request log: a full pipe would block the server's logging, not the uploads
        threading.Thread(target=process.stdout.read, daemon=True).start()
        headers = {"Authorization": f"Token {token}"}
        routes = {"get": "/coa/api/entity", "upload": "/coa/api/v1/invoice/"}
    else:
        process = subprocess.Popen([sys.executable, __file__, "--serve", target, "--port", str(port)])
        headers, routes = {}, {"get": "/ping", "upload": "/upload"}
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + routes["get"], headers=headers, timeout=1)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise SystemExit(f"the {target} server did not start on {base}")
            time.sleep(0.1)
    return process, {"base": base, "headers": headers, **routes}


def upload_loop(where: dict, megabytes: int, content_length: bool, stop, results) -> None:
    """Another client: uploads `megabytes` MB bodies until `stop` is set; records what came back."""
    chunks = megabytes * 1024 * 1024 // len(CHUNK)

    def body():
        for _ in range(chunks):
            yield CHUNK

    with httpx.Client(base_url=where["base"], headers={**where["headers"], "Content-Type": "application/json"},
                      timeout=120) as http:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                content = CHUNK * chunks if content_length else body()
                outcome = str(http.post(where["upload"], content=content).status_code)
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            results.put((outcome, time.perf_counter() - started))


def get_latencies(where: dict, seconds: float) -> list[float]:
    latencies = []
    with httpx.Client(base_url=where["base"], headers=where["headers"], timeout=30) as http:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            started = time.perf_counter()
            assert http.get(where["get"]).status_code == 200
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def summary(label: str, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"{label:<24} {len(ordered):>6} GETs  p50 {statistics.median(ordered):7.1f} ms  p99 {p99:7.1f} ms  "
            f"max {ordered[-1]:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=["guarded", "bare", "standin"], default="guarded")
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--content-length", action="store_true", help="declare the length instead of chunking")
    parser.add_argument("--serve-args", default="", help="extra `campfire-mock serve` flags (standin target)")
    parser.add_argument("--serve", choices=["guarded", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve_tiny(args.port, args.serve == "guarded")
    process, where = start(args.target, free_port(), args.serve_args)
    try:
        print(f"target {args.target} on {where['base']}: {args.megabytes} MB bodies, "
              f"{'Content-Length' if args.content_length else 'chunked'}, {args.seconds:.0f} s per phase")
        print(summary("idle", get_latencies(where, args.seconds)))
        stop, results = multiprocessing.Event(), multiprocessing.Queue()
        uploader = multiprocessing.Process(target=upload_loop,
                                           args=(where, args.megabytes, args.content_length, stop, results))
        uploader.start()
        time.sleep(0.5)  # the first upload is under way
        print(summary("during uploads", get_latencies(where, args.seconds)))
        stop.set()
        uploader.join(timeout=180)
        outcomes = []
        while not results.empty():
            outcomes.append(results.get())
        answered = ", ".join(f"{outcome} x{sum(1 for o, _ in outcomes if o == outcome)}"
                             for outcome in sorted({o for o, _ in outcomes}))
        print(f"uploads: {len(outcomes)} ({answered}); "
              f"median {statistics.median([t for _, t in outcomes]) * 1000:.0f} ms each" if outcomes else "uploads: none ended")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
