"""Every contract finding of a run, whatever became of the check that met it: de-duplicated by
(operation, rule, JSON path), counted, with the checks that met it and the deviation that
accepts it, if any. A check failing for a semantic reason must not hide what the contract says.
"""

from dataclasses import dataclass, field

from .contract import Finding
from .deviations import Deviation


@dataclass
class FindingGroup:
    example: Finding  # the first occurrence: its request and message
    count: int = 0
    checks: list[str] = field(default_factory=list)
    deviation: Deviation | None = None

    def describe(self) -> str:
        where = f" (in {', '.join(self.checks)})" if self.checks else ""
        accepted = f" -- accepted: {self.deviation.accepted}; why: {self.deviation.why}" if self.deviation else ""
        return f"{self.count}x {self.example}{where}{accepted}"


def grouped(findings: list[Finding], check: str = "", deviations: dict | None = None) -> list[FindingGroup]:
    """The findings folded by their key, in order of first occurrence; `deviations` maps a key to
    the deviation that accepts it."""
    groups: dict[tuple, FindingGroup] = {}
    for finding in findings:
        group = groups.setdefault(finding.key, FindingGroup(finding, deviation=(deviations or {}).get(finding.key)))
        group.count += 1
        if check and check not in group.checks:
            group.checks.append(check)
    return list(groups.values())


class FindingLog:
    """The run's findings, check after check."""

    def __init__(self):
        self._groups: dict[tuple, FindingGroup] = {}

    def add(self, check: str, new: list[Finding], accepted: list[tuple[Finding, Deviation]]) -> None:
        deviations = {finding.key: deviation for finding, deviation in accepted}
        findings = new + [finding for finding, _ in accepted]
        for group in grouped(findings, check, deviations):
            total = self._groups.setdefault(group.example.key, FindingGroup(group.example, deviation=group.deviation))
            total.count += group.count
            total.checks += [name for name in group.checks if name not in total.checks]

    @property
    def new(self) -> list[FindingGroup]:
        return [group for group in self._groups.values() if group.deviation is None]

    @property
    def accepted(self) -> list[FindingGroup]:
        return [group for group in self._groups.values() if group.deviation is not None]
