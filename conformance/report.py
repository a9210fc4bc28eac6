"""The human summary and the JUnit additions: a table of checks with the reason of every failure
or exemption, each failure in words, every contract finding of the run (de-duplicated and
counted), and the verdict."""

import xml.etree.ElementTree as ElementTree
from collections import Counter
from pathlib import Path

from .findings import FindingLog
from .verdict import CONFORMS, Verdict

STATUSES = ("passed", "failed", "accepted", "not applicable")
FINDINGS_CHECK = "contract_findings"
VERDICT_CHECK = "verdict"


def findings_lines(log: FindingLog) -> list[str]:
    """The contract section: new findings, then accepted ones, each once with its count."""
    lines = []
    for title, groups in (("Contract findings", log.new), ("Accepted deviations", log.accepted)):
        if groups:
            occurrences = sum(group.count for group in groups)
            lines += [
                "",
                f"{title} ({len(groups)} distinct, {occurrences} occurrences; by operation, rule, JSON path):",
            ]
            lines += [f"  {group.describe()}" for group in groups]
    return lines


def failure_lines(results) -> list[str]:
    """Each failed check in words: what it found, the rule, what was expected, the exchange."""
    failed = [result for result in results if result.status == "failed"]
    lines = ["", f"Failures ({len(failed)}):"] if failed else []
    for result in failed:
        lines += [f"  {result.check}: {result.reason}"] + [f"    {line}" for line in result.details]
    return lines


def verdict_line(verdict: Verdict, results) -> str:
    counts = Counter(r.status for r in results)
    return (
        f"{verdict.word}: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        + (f" -- {'; '.join(verdict.reasons)}" if verdict.reasons else "")
    )


def summary(
    results, findings: FindingLog, verdict: Verdict, *, base_url: str, seconds: float, requests: int, is_mock: bool
) -> str:
    width = max([len(r.check) for r in results] + [5])
    lines = [
        f"Conformance of {base_url} ({'the stand-in' if is_mock else 'a deployment'}): "
        f"{len(results)} checks, {requests} requests, {seconds:.1f}s",
        "",
        f"{'check':<{width}}  {'status':<14}  reason",
        f"{'-' * width}  {'-' * 14}  {'-' * 40}",
    ]
    order = {status: index for index, status in enumerate(("failed", "accepted", "not applicable", "passed"))}
    for result in sorted(results, key=lambda r: (order[r.status], r.check)):
        lines.append(f"{result.check:<{width}}  {result.status:<14}  {result.reason}".rstrip())
    lines += failure_lines(results) + findings_lines(findings)
    return "\n".join(lines + ["", verdict_line(verdict, results)])


def _suite(path: Path) -> tuple[ElementTree.ElementTree, ElementTree.Element]:
    """The JUnit file's test suite; a new file when the run stopped before pytest wrote one."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        ElementTree.ElementTree(ElementTree.Element("testsuites")).write(path, encoding="utf-8", xml_declaration=True)
    tree = ElementTree.parse(path)
    root = tree.getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        suite = ElementTree.SubElement(root, "testsuite", name="conformance", tests="0", failures="0", errors="0")
    return tree, suite


def _fail(suite, case, message: str, text: str) -> None:
    ElementTree.SubElement(case, "failure", message=message).text = text
    suite.set("failures", str(int(suite.get("failures", "0")) + 1))


def add_to_junit(path: Path, findings: FindingLog, verdict: Verdict, text: str) -> None:
    """Two more test cases in the JUnit file: `contract_findings`, failed while any new finding
    remains, listing each (operation, rule, JSON path) once with its count; and `verdict`, failed
    unless the run CONFORMS, its message the verdict (the summary as its text)."""
    tree, suite = _suite(path)
    suite.set("tests", str(int(suite.get("tests", "0")) + 2))
    case = ElementTree.SubElement(suite, "testcase", classname="conformance", name=FINDINGS_CHECK, time="0")
    if findings.new:
        _fail(
            suite,
            case,
            f"{len(findings.new)} distinct contract findings",
            "\n".join(g.describe() for g in findings.new),
        )
    if findings.accepted:
        ElementTree.SubElement(case, "system-out").text = "\n".join(group.describe() for group in findings.accepted)
    case = ElementTree.SubElement(suite, "testcase", classname="conformance", name=VERDICT_CHECK, time="0")
    if verdict.word != CONFORMS:
        _fail(suite, case, verdict.line, text)
    else:
        ElementTree.SubElement(case, "system-out").text = verdict.line
    tree.write(path, encoding="utf-8", xml_declaration=True)
