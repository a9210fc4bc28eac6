"""Known deviations: differences a team has accepted for a real deployment, in a YAML file.

    - operation: coa_api_v1_invoice_payment_void_create   # operationId, or "*"
      json_path: $.credit_memo                              # exact, or a glob such as $.lines[*].tax
      rule: response_schema                                 # optional: only findings of this rule
      accepted: the server sends null where the schema says string
      why: known upstream bug CAMP-1234, harmless for our client
    - operation: "*"
      json_path: header:location                            # a header `compare` compares
      rule: header
      step: "generic: void_no_trailing_slash"               # optional, `compare` only: its step (glob)
      accepted: our proxy redirects with an absolute URL
      why: clients follow either

A finding that matches is reported as accepted; anything else still fails. An entry with a
`step` accepts only `compare`'s differences in the steps it names.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

from .contract import Finding

REQUIRED = ("operation", "json_path", "accepted", "why")


class DeviationFileError(ValueError):
    """The file cannot be used (exit code 2)."""


@dataclass(frozen=True)
class Deviation:
    operation: str
    json_path: str
    accepted: str
    why: str
    rule: str | None = None
    step: str | None = None

    def matches(self, finding: Finding) -> bool:
        """`finding`: a conformance Finding, or a compare Difference (which has a step)."""
        return (
            fnmatchcase(finding.operation, self.operation)
            and fnmatchcase(finding.json_path, self.json_path.replace("[", "[[]"))
            and (self.rule is None or self.rule == finding.rule)
            and (self.step is None or fnmatchcase(getattr(finding, "step", ""), self.step.replace("[", "[[]")))
        )


def load(path: Path | None) -> list[Deviation]:
    if path is None:
        return []
    try:
        entries = yaml.safe_load(Path(path).read_text()) or []
    except (OSError, yaml.YAMLError) as exc:
        raise DeviationFileError(f"{path}: {exc}") from exc
    if not isinstance(entries, list):
        raise DeviationFileError(f"{path}: expected a list of deviations")
    deviations = []
    for index, entry in enumerate(entries):
        missing = [key for key in REQUIRED if not (isinstance(entry, dict) and entry.get(key))]
        if missing:
            raise DeviationFileError(f"{path}: entry {index} lacks {', '.join(missing)}")
        deviations.append(
            Deviation(
                entry["operation"],
                entry["json_path"],
                entry["accepted"],
                entry["why"],
                entry.get("rule"),
                entry.get("step"),
            )
        )
    return deviations


def split(
    findings: list[Finding], deviations: list[Deviation]
) -> tuple[list[Finding], list[tuple[Finding, Deviation]]]:
    """(new findings, accepted findings with the deviation that accepts each)."""
    new, accepted = [], []
    for finding in findings:
        match = next((d for d in deviations if d.matches(finding)), None)
        if match:
            accepted.append((finding, match))
        else:
            new.append(finding)
    return new, accepted
