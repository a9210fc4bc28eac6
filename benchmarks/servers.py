"""The servers the benchmark compares, each started as its own process on a free loopback port
and stopped when its block ends."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
CAMPFIRE_MOCK = str(Path(sys.executable).with_name("campfire-mock"))
SEED = ROOT / "spec" / "void-invoice-payment.yaml"


@dataclass(frozen=True)
class Tree:
    """A checkout whose stand-in is run: this one, or an older commit's (`bench.py --baseline`).
    Its code comes first on the path, ahead of the editable install's."""

    root: Path
    name: str = "this tree"

    @property
    def env(self) -> dict:
        return {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(self.root), os.environ.get("PYTHONPATH")])),
        }

    def campfire_mock(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "mock_server.cli", *args]


THIS = Tree(ROOT)
ENV = THIS.env


def checkout(ref: str) -> Tree:
    """`ref` checked out in a temporary git worktree (remove it with `remove`)."""
    where = Path(tempfile.mkdtemp(prefix="campfire-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(where), ref], cwd=ROOT, check=True, capture_output=True)
    return Tree(where, ref)


def remove(tree: Tree) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(tree.root)], cwd=ROOT, capture_output=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_accepts_workers() -> bool:
    """True once `campfire-mock serve` has a --workers option (read from its --help)."""
    text = subprocess.run(
        THIS.campfire_mock("serve", "--help"), capture_output=True, text=True, check=True, env=ENV
    ).stdout
    return "--workers" in text


def standin(
    db: Path, today: str, admin_token: str, workers: int = 1, options: tuple[str, ...] = (), tree: Tree = THIS
) -> list[str]:
    command = tree.campfire_mock("serve", "--db", str(db), "--today", today, "--admin-token", admin_token, *options)
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
    """`with Server(name, command, log) as server:` runs `command --port P` in `tree`; server.pid, server.url."""

    def __init__(self, name: str, command: list[str], log: Path, ready_timeout: float = 60, tree: Tree = THIS):
        self.name, self.command, self.log, self.ready_timeout, self.tree = name, command, log, ready_timeout, tree
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def __enter__(self):
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [*self.command, "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.tree.root,
                env=self.tree.env,
                start_new_session=True,
            )
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
                    raise RuntimeError(f"{self.name} not ready on {self.url} after {self.ready_timeout} s") from None
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
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "mock_server"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return f"{head or 'unknown'}{' (mock_server/ has uncommitted changes)' if dirty else ''}"
