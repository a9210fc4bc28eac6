"""CPU time of a server's whole process tree (uvicorn workers included), read from /proc, so the
benchmark charges each server for what it burns and not for the load generator beside it."""
import os

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except OSError:  # the process ended in between
        return None
    return text[text.rindex(")") + 2:].split()  # fields after the command name, from field 3 on


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))):
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, []))
    return found


def _context_switches(pid: int) -> int:
    """Voluntary and involuntary context switches of every thread of `pid` (0 once it ended)."""
    total = 0
    try:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/status") as handle:
                total += sum(int(line.split()[1]) for line in handle if "ctxt_switches" in line)
    except OSError:
        pass
    return total


def tree_figures(root: int) -> tuple[float, float, int]:
    """(user seconds, system seconds, context switches) of `root` and every live descendant."""
    user = system = switches = 0
    for pid in _tree(root):
        if fields := _stat(pid):
            user, system = user + int(fields[11]), system + int(fields[12])  # utime, stime (fields 14 and 15)
            switches += _context_switches(pid)
    return user / TICKS, system / TICKS, switches


def tree_cpu_seconds(root: int) -> float:
    """utime + stime of `root` and every live descendant, in seconds."""
    user, system, _ = tree_figures(root)
    return user + system
