"""The human summary and the JUnit additions: a table of checks with the reason of every failure
or exemption, then every contract finding of the run, de-duplicated and counted."""
import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

from .findings import FindingLog

STATUSES = ("passed", "failed", "accepted", "not applicable")
FINDINGS_CHECK = "contract_findings"


def findings_lines(log: FindingLog) -> list[str]:
    """The contract section: new findings, then accepted ones, each once with its count."""
    lines = []
    for title, groups in (("Contract findings", log.new), ("Accepted deviations", log.accepted)):
        if groups:
            occurrences = sum(group.count for group in groups)
            lines += ["", f"{title} ({len(groups)} distinct, {occurrences} occurrences; by operation, rule, JSON path):"]
            lines += [f"  {group.describe()}" for group in groups]
    return lines


def summary(results, findings: FindingLog, *, base_url: str, seconds: float, requests: int, is_mock: bool) -> str:
    width = max([len(r.check) for r in results] + [5])
    lines = [f"Conformance of {base_url} ({'the stand-in' if is_mock else 'a deployment'}): "
             f"{len(results)} checks, {requests} requests, {seconds:.1f}s", "",
             f"{'check':<{width}}  {'status':<14}  reason", f"{'-' * width}  {'-' * 14}  {'-' * 40}"]
    order = {status: index for index, status in enumerate(("failed", "accepted", "not applicable", "passed"))}
    for result in sorted(results, key=lambda r: (order[r.status], r.check)):
        lines.append(f"{result.check:<{width}}  {result.status:<14}  {result.reason}".rstrip())
    lines += findings_lines(findings)
    counts = Counter(r.status for r in results)
    verdict = "CONFORMS" if not counts["failed"] and not findings.new and results else "DOES NOT CONFORM"
    lines += ["", verdict + ": " + ", ".join(f"{counts[s]} {s}" for s in STATUSES)]
    return "\n".join(lines)


def add_findings_to_junit(path: Path, findings: FindingLog) -> None:
    """One more test case in the JUnit file, `contract_findings`, failed while any new finding
    remains, listing each (operation, rule, JSON path) once with its count."""
    tree = ElementTree.parse(path)
    suite = tree.getroot() if tree.getroot().tag == "testsuite" else tree.getroot().find("testsuite")
    case = ElementTree.SubElement(suite, "testcase", classname="conformance", name=FINDINGS_CHECK, time="0")
    if findings.new:
        failure = ElementTree.SubElement(case, "failure", message=f"{len(findings.new)} distinct contract findings")
        failure.text = "\n".join(group.describe() for group in findings.new)
        suite.set("failures", str(int(suite.get("failures", "0")) + 1))
    if findings.accepted:
        ElementTree.SubElement(case, "system-out").text = "\n".join(group.describe() for group in findings.accepted)
    suite.set("tests", str(int(suite.get("tests", "0")) + 1))
    tree.write(path, encoding="utf-8", xml_declaration=True)
