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


def tree_cpu_seconds(root: int) -> float:
    """utime + stime of `root` and every live descendant, in seconds."""
    total = 0
    for pid in _tree(root):
        if fields := _stat(pid):
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS
