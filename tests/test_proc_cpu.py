"""benchmarks/proc_cpu.py charges a server for what its process tree burns, a child process's
CPU included."""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import proc_cpu  # noqa: E402

# Burns 0.3 s of CPU, then says so and waits to be told to end, so that its figures are read while it is alive.
CHILD = """
import sys, time
start = time.process_time()
while time.process_time() - start < 0.3:
    sum(range(10_000))
print("done", flush=True)
sys.stdin.readline()
"""


def test_the_cpu_of_a_tree_includes_a_child_that_burns_cpu():
    before = proc_cpu.tree_cpu_seconds(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "done\n"
        spent = proc_cpu.tree_cpu_seconds(os.getpid()) - before
        child_spent = proc_cpu.tree_cpu_seconds(child.pid)
    finally:
        child.communicate("\n", timeout=10)
    assert child_spent >= 0.25
    assert spent > child_spent - 1 / proc_cpu.TICKS  # in its parent's tree (/proc counts in ticks)
    assert proc_cpu.tree_cpu_seconds(child.pid) == 0  # an ended process counts nothing
