"""benchmarks/proc_cpu.py charges a server for what its process tree burns: user and system CPU
and context switches, a child process's included."""
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import proc_cpu  # noqa: E402

# Burns 0.3 s of CPU (mostly user time), then sleeps 100 times (each sleep a voluntary context switch), then
# says so and waits to be told to end, so that its figures are read while it is alive.
CHILD = """
import sys, time
start = time.process_time()
while time.process_time() - start < 0.3:
    sum(range(10_000))
for _ in range(100):
    time.sleep(0.001)
print("done", flush=True)
sys.stdin.readline()
"""


def test_the_figures_of_a_tree_include_a_child_that_burns_cpu_and_sleeps():
    before = proc_cpu.tree_figures(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline() == "done\n"
        user, system, switches = (after - earlier for earlier, after in
                                  zip(before, proc_cpu.tree_figures(os.getpid())))
        child_user, child_system, child_switches = proc_cpu.tree_figures(child.pid)
    finally:
        child.communicate("\n", timeout=10)
    assert child_user + child_system >= 0.25 and child_user > child_system and child_switches >= 100
    tick = 1 / proc_cpu.TICKS  # /proc counts CPU in ticks; the differences are floats
    assert user > child_user - tick and system > child_system - tick and switches >= child_switches  # in its parent's tree
    assert proc_cpu.tree_cpu_seconds(child.pid) == 0  # an ended process counts nothing
