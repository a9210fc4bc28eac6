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
    return text[text.rindex(")") + 2 :].split()  # fields after the command name, from field 3 on


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


def _cpu_ticks(pid: int) -> tuple[int, int]:
    """(utime, stime) of `pid` in clock ticks ((0, 0) once it ended)."""
    fields = _stat(pid)
    return (int(fields[11]), int(fields[12])) if fields else (0, 0)  # fields 14 and 15


def tree_cpu_seconds(root: int) -> float:
    """utime + stime of `root` and every live descendant, in seconds."""
    return sum(sum(_cpu_ticks(pid)) for pid in _tree(root)) / TICKS
