"""A stand-in in a process of its own, for tests/test_connexion_once.py: the app as it ships, or
(`--plain`) as plain Connexion 3 would run it, with nothing of connexion_once (its install() a
no-op, connexion's own RequestValidationMiddleware) and every request passed on by the direct
lane. A process, because install() patches Connexion's classes process-wide. It prints one JSON
line (URL, tokens, whether Connexion's operations are memoized), then serves until its stdin
closes; for each line it reads, it prints how many requests its direct lane has served.

`python tests/standin_process.py TODAY [--plain]`
"""
import contextlib
import json
import subprocess
import sys
from pathlib import Path

MARK = "standin-process:"
SERVED = "direct-lane-served:"


def counting(serve, served: list):
    """The direct lane's `_Route.__call__`, noting in `served` the operationId of each request it serves."""
    async def counted(route, *args):
        served.append(route.operation.operation_id)
        return await serve(route, *args)
    return counted


def main(today: str, plain: bool) -> None:
    from connexion.middleware.request_validation import RequestValidationMiddleware
    from connexion.operations.openapi import OpenAPIOperation

    from mock_server import running
    from mock_server.web import connexion_once, direct

    served = []
    if plain:  # create_app reads both through the module, when it builds the app
        connexion_once.install = lambda: None
        connexion_once.RequestValidation = RequestValidationMiddleware
        direct.DirectLane.__call__ = lambda lane, scope, receive, send: lane.app(scope, receive, send)
    else:
        direct._Route.__call__ = counting(direct._Route.__call__, served)
    with running(today=today) as standin:
        print(MARK + json.dumps({
            "url": standin.base_url, "admin_token": standin.admin_token, "token": standin.token("admin", 1),
            "view_only_token": standin.token("view_only", 1), "clerk_token": standin.token("clerk", 1),
            "memoized": getattr(OpenAPIOperation.body_definition, "campfire_memoized", False)}), flush=True)
        for _ in sys.stdin:
            print(SERVED + str(len(served)), flush=True)


class StandInProcess:
    """A started stand-in process; ready() waits for its JSON line and takes its URL, tokens..."""

    def __init__(self, today, *, plain: bool):
        self.process = subprocess.Popen(
            [sys.executable, __file__, str(today), *(["--plain"] if plain else [])], cwd=Path(__file__).parent.parent,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ready(self) -> "StandInProcess":
        for line in self.process.stdout:
            if line.startswith(MARK):
                self.__dict__.update(json.loads(line.removeprefix(MARK)))
                return self
        raise RuntimeError(f"the stand-in process ended with {self.process.wait()} before serving")

    def direct_served(self) -> int:
        """How many requests the process's direct lane has served so far."""
        self.process.stdin.write("?\n")
        self.process.stdin.flush()
        for line in self.process.stdout:
            if line.startswith(SERVED):
                return int(line.removeprefix(SERVED))
        raise RuntimeError(f"the stand-in process ended with {self.process.wait()}")

    def stop(self) -> None:
        """Ended at once: its ledger is in memory, nothing to keep. (Were this process to die
        first, the stand-in would end by itself when its stdin closes.)"""
        self.process.kill()
        self.process.wait()
        self.process.stdin.close()
        self.process.stdout.close()


@contextlib.contextmanager
def started(today, *, plain: tuple[bool, ...]):
    """Stand-ins started side by side (one per `plain` flag), ready, until the block ends."""
    processes = [StandInProcess(today, plain=flag) for flag in plain]
    try:
        yield [process.ready() for process in processes]
    finally:
        for process in processes:
            process.stop()


if __name__ == "__main__":
    main(sys.argv[1], "--plain" in sys.argv[2:])
