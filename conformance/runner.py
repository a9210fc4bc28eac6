"""Run the check suite against a target in this process: the verdict, the summary text and the
results, for the CLI and for tests (which need no subprocess per target)."""

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from . import deviations as deviation_rules
from .findings import FindingLog
from .plugin import ConformancePlugin, Result, Run
from .provisioning import NotProvisionable, Provisioner
from .report import add_to_junit, summary
from .target import BudgetExhausted, Settings, Target, TargetUnreachable
from .verdict import Verdict, judge

SUITE = Path(__file__).parent / "suite"
SET_UP = "set-up"  # the check name of findings met before the checks (the probe, the look-ups)


@dataclass
class Outcome:
    verdict: Verdict
    text: str
    results: list[Result]
    findings: FindingLog

    @property
    def code(self) -> int:
        return self.verdict.code

    def result(self, check: str) -> Result:
        return next(result for result in self.results if result.check == check)


def _pytest_args(junit: Path | None, only: str | None) -> list[str]:
    # --assert=plain: no assertion rewriting, so no re-evaluated expression (and no repr of the
    # objects in it, tokens included) can reach a report; checks fail in words (failure.RuleBroken).
    args = [
        str(SUITE),
        "-c",
        str(SUITE / "pytest.ini"),
        "--rootdir",
        str(SUITE),
        "-q",
        "--tb=no",
        "--no-header",
        "-rN",
        "--assert=plain",
        "--disable-plugin-autoload",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:warnings",
        "-p",
        "no:unraisableexception",
        "-p",
        "no:threadexception",
    ]
    return args + (["--junitxml", str(junit)] if junit else []) + (["-k", only] if only else [])


def check(
    settings: Settings,
    *,
    deviations=(),
    pairs: Path | None = None,
    junit: Path | None = None,
    order_seed: int | None = None,
    only: str | None = None,
) -> Outcome:
    """Run the checks (those matching the pytest -k expression `only`, or all) against the target.
    Raises TargetUnreachable (TokenRefused) when the run cannot start (ERROR). A failed look-up
    is no reason to stop: its contract findings are reported and the checks that need it do not
    apply. Ctrl-C ends the run with what it found so far, INTERRUPTED."""
    started = time.perf_counter()
    target = Target(settings)
    interrupted = ""
    try:
        target.probe()
        target.detect_mock()
        run = Run(target, Provisioner(target, pairs), list(deviations), order_seed)
        try:
            if run.provisioner.needs_lookups:
                run.provisioner.lookups()  # before any check, so that its findings are the set-up's
        except NotProvisionable:
            pass  # every check that needs a payment says why it does not apply
        except (BudgetExhausted, TargetUnreachable) as exc:
            run.stopped = f"{SET_UP}: {exc}"
        except KeyboardInterrupt:
            interrupted = "Ctrl-C"
        run.findings.add(SET_UP, *deviation_rules.split(target.findings, run.deviations))
        if not interrupted and not run.stopped:
            try:
                exit_code = pytest.main(_pytest_args(junit, only), plugins=[ConformancePlugin(run)])
            except KeyboardInterrupt:
                exit_code = pytest.ExitCode.INTERRUPTED
            interrupted = "Ctrl-C" if exit_code == pytest.ExitCode.INTERRUPTED and not run.stopped else ""
    finally:
        target.close()
    verdict = judge(run.results, len(run.findings.new), interrupted=interrupted, stopped=run.stopped)
    text = summary(
        run.results,
        run.findings,
        verdict,
        base_url=settings.base_url,
        seconds=time.perf_counter() - started,
        requests=target.requests_sent,
        is_mock=target.is_mock,
    )
    if junit:
        add_to_junit(junit, run.findings, verdict, text)
    return Outcome(verdict, text, run.results, run.findings)
