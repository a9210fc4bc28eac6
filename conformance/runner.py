"""Run the check suite against a target in this process: the verdict, the summary text and the
results, for the CLI and for tests (which need no subprocess per target)."""
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import deviations as deviation_rules
from .findings import FindingLog
from .plugin import ConformancePlugin, Result, Run
from .provisioning import Provisioner
from .report import add_findings_to_junit, summary
from .target import Settings, Target

SUITE = Path(__file__).parent / "suite"
CONFORMS, NONCONFORMANT, USAGE = 0, 1, 2


@dataclass
class Outcome:
    code: int
    text: str
    results: list[Result]
    findings: FindingLog

    def result(self, check: str) -> Result:
        return next(result for result in self.results if result.check == check)


def check(settings: Settings, *, deviations=(), pairs: Path | None = None, junit: Path | None = None,
          order_seed: int | None = None, only: str | None = None) -> Outcome:
    """Run the checks (those matching the pytest -k expression `only`, or all) against the target.
    Raises TargetUnreachable or CannotGoOn when the run cannot start (exit code 2)."""
    started = time.perf_counter()
    target = Target(settings)
    try:
        target.probe()
        target.detect_mock()
        provisioner = Provisioner(target, pairs)
        run = Run(target, provisioner, list(deviations), order_seed)
        if provisioner.needs_lookups:
            provisioner.lookups()  # before any check: an organization without data stops the run here
            run.findings.add("provisioning", *deviation_rules.split(target.findings, run.deviations))
        args = [str(SUITE), "-c", str(SUITE / "pytest.ini"), "--rootdir", str(SUITE), "-q", "--tb=no", "--no-header",
                "-rN", "--disable-plugin-autoload", "-p", "no:cacheprovider", "-p", "no:warnings",
                "-p", "no:unraisableexception", "-p", "no:threadexception"]
        args += ["--junitxml", str(junit)] if junit else []
        args += ["-k", only] if only else []
        exit_code = pytest.main(args, plugins=[ConformancePlugin(run)])
    finally:
        target.close()
    if junit:
        add_findings_to_junit(junit, run.findings)
    text = summary(run.results, run.findings, base_url=settings.base_url, seconds=time.perf_counter() - started,
                   requests=target.requests_sent, is_mock=target.is_mock)
    if exit_code == pytest.ExitCode.OK and not run.findings.new:
        code = CONFORMS
    elif exit_code in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        code = NONCONFORMANT
    else:
        code = USAGE
    return Outcome(code, text, run.results, run.findings)

