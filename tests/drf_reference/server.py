"""The reference under gunicorn (a real WSGI server: Django's runserver rewrites a missing
Content-Type) on a free 127.0.0.1 port, its SQLite loaded once and copied back by reset()."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn ended with {process.returncode} before serving")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the DRF reference did not listen within {START_SECONDS} s")


class Reference:
    def __init__(self, base_url: str, database: Path, pristine: Path):
        self.base_url = base_url
        self._database = database
        self._pristine = pristine

    def reset(self) -> None:
        """Back to the default dataset (between requests: Django opens the file per request)."""
        shutil.copyfile(self._pristine, self._database)


@contextlib.contextmanager
def running(today) -> "Reference":
    """The reference, serving until the block ends; `today` is the stand-in's pinned date."""
    with tempfile.TemporaryDirectory(prefix="drf-reference-") as folder:
        pristine, database = Path(folder, "pristine.sqlite3"), Path(folder, "live.sqlite3")
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)]),
            "DJANGO_SETTINGS_MODULE": "drf_reference.settings",
            "DRF_REFERENCE_DB": str(pristine),
            "DRF_REFERENCE_TODAY": str(today),
        }
        subprocess.run([sys.executable, "-m", "drf_reference"], env=env, check=True, timeout=120)
        shutil.copyfile(pristine, database)
        port = free_port()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--error-logfile",
                str(Path(folder, "gunicorn.log")),
                "drf_reference.wsgi:application",
            ],
            env={**env, "DRF_REFERENCE_DB": str(database)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_listening(port, process)
            yield Reference(f"http://127.0.0.1:{port}", database, pristine)
        finally:
            process.terminate()
            process.wait(timeout=30)
