"""The servers the benchmark compares, each started as its own process on a free loopback port
and stopped when its block ends."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
CAMPFIRE_MOCK = str(Path(sys.executable).with_name("campfire-mock"))
SEED = ROOT / "spec" / "void-invoice-payment.yaml"
# The stand-in measured is the one in this tree (ahead of the editable install's), so that a copy
# of an older commit with these scripts in it measures that commit.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_accepts_workers() -> bool:
    """True once `campfire-mock serve` has a --workers option (read from its --help)."""
    text = subprocess.run([CAMPFIRE_MOCK, "serve", "--help"], capture_output=True, text=True, check=True,
                          env=ENV).stdout
    return "--workers" in text


def standin(db: Path, today: str, admin_token: str, workers: int = 1, options: tuple[str, ...] = ()) -> list[str]:
    command = [CAMPFIRE_MOCK, "serve", "--db", str(db), "--today", today, "--admin-token", admin_token, *options]
    return command + (["--workers", str(workers)] if workers > 1 else [])


def bare(body_file: Path) -> list[str]:
    return [sys.executable, str(HERE / "bare_app.py"), "--body", str(body_file)]


def connexion_noop(body_file: Path) -> list[str]:
    return [sys.executable, str(HERE / "connexion_noop.py"), "--body", str(body_file)]


def prism() -> list[str] | None:
    """Stoplight Prism mocking the seed document, or None when `prism` is not on PATH."""
    found = shutil.which("prism")
    return [found, "mock", str(SEED), "--host", "127.0.0.1"] if found else None


class Server:
    """`with Server(name, command, log) as server:` runs `command --port P`; server.pid, server.url."""

    def __init__(self, name: str, command: list[str], log: Path, ready_timeout: float = 60):
        self.name, self.command, self.log, self.ready_timeout = name, command, log, ready_timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen([*self.command, "--port", str(self.port)], stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            cwd=ROOT, env=ENV, start_new_session=True)
        started = time.monotonic()
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            try:
                httpx.get(self.url + "/", timeout=2)
                self.ready_seconds = time.monotonic() - started
                return self
            except httpx.TransportError:
                if time.monotonic() - started > self.ready_timeout:
                    self.__exit__()
                    raise RuntimeError(f"{self.name} not ready on {self.url} after {self.ready_timeout} s")
                time.sleep(0.05)

    def __exit__(self, *exc):
        """SIGINT to the server's own process group (the server and the workers it forked)."""
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def commit() -> str:
    """The commit of the tree measured, noting uncommitted changes under mock_server/."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "mock_server"], capture_output=True, text=True,
                           cwd=ROOT).stdout.strip()
    return f"{head or 'unknown'}{' (mock_server/ has uncommitted changes)' if dirty else ''}"
