"""The human summary: a table of checks with the reason of every failure or exemption."""
from collections import Counter

STATUSES = ("passed", "failed", "accepted", "not applicable")


def summary(results, *, base_url: str, seconds: float, requests: int, is_mock: bool) -> str:
    width = max([len(r.check) for r in results] + [5])
    lines = [f"Conformance of {base_url} ({'the stand-in' if is_mock else 'a deployment'}): "
             f"{len(results)} checks, {requests} requests, {seconds:.1f}s", "",
             f"{'check':<{width}}  {'status':<14}  reason", f"{'-' * width}  {'-' * 14}  {'-' * 40}"]
    order = {status: index for index, status in enumerate(("failed", "accepted", "not applicable", "passed"))}
    for result in sorted(results, key=lambda r: (order[r.status], r.check)):
        lines.append(f"{result.check:<{width}}  {result.status:<14}  {result.reason}".rstrip())
    counts = Counter(r.status for r in results)
    verdict = "CONFORMS" if not counts["failed"] and results else "DOES NOT CONFORM"
    lines += ["", verdict + ": " + ", ".join(f"{counts[s]} {s}" for s in STATUSES)]
    return "\n".join(lines)
