"""The pytest plugin that runs the suite against a target: fixtures, contract findings per
check, and the results table (passed / failed / accepted / not applicable).

A check's contract findings are reported whatever its semantic outcome: a check that fails (or
does not apply) and also met contract violations fails with both. A failure is in words (a
RuleBroken: the rule, what was expected, the request and the answer). An exception that is not a
check's failure (a missing key, a body that is not JSON) is the target's unexpected answer,
reported in one line with the last exchange, never as a traceback. When the request budget runs
out or the target stops answering, the run stops there and says why (Run.stopped).
"""

import random
from dataclasses import dataclass, field

import pytest

from . import deviations as deviation_rules
from .failure import RuleBroken, exchange_lines
from .findings import FindingLog, grouped
from .provisioning import NotProvisionable, Provisioner
from .target import BudgetExhausted, Target, TargetUnreachable


@dataclass
class Result:
    check: str
    status: str  # passed, failed, accepted, not applicable
    reason: str = ""
    details: list[str] = field(default_factory=list)  # a failure's rule, expectation and exchange


@dataclass
class Run:
    target: Target
    provisioner: Provisioner
    deviations: list = field(default_factory=list)
    order_seed: int | None = None
    results: list[Result] = field(default_factory=list)
    findings: FindingLog = field(default_factory=FindingLog)
    stopped: str = ""  # why the run stopped before its last check, if it did


def not_applicable(reason: str):
    """End a check that does not apply to this target, saying why."""
    pytest.skip(reason)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _semantic_reason(exc: BaseException) -> str:
    """What the check found, without pytest's re-evaluated `assert ...` explanation."""
    if isinstance(exc, pytest.skip.Exception):
        return _one_line(exc.msg)
    if isinstance(exc, RuleBroken):
        return _one_line(exc.found)
    if isinstance(exc, AssertionError):
        return _one_line(str(exc).split("\nassert ")[0]) or "assertion failed"
    return f"unexpected answer from the target ({type(exc).__name__}: {_one_line(str(exc))})"


class CheckFailed(AssertionError):
    """A check's verdict: its semantic failure and its contract findings, both in full."""


class ConformancePlugin:
    def __init__(self, run: Run):
        self.run = run

    @pytest.fixture
    def target(self) -> Target:
        return self.run.target

    @pytest.fixture
    def provision(self):
        """provision(kind) -> (invoice_id, payment_id) of a fresh payment made by this run."""

        def make(kind: str = "manual"):
            try:
                return self.run.provisioner.payment(kind)
            except NotProvisionable as exc:
                not_applicable(str(exc))

        return make

    @pytest.fixture
    def provisioner(self) -> Provisioner:
        return self.run.provisioner

    @pytest.fixture
    def mock(self) -> Target:
        if not self.run.target.is_mock:
            not_applicable("the target is not the stand-in (no admin token given)")
        return self.run.target

    def pytest_collection_modifyitems(self, items):
        if self.run.order_seed is not None:
            random.Random(self.run.order_seed).shuffle(items)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        self.run.target.findings = []
        try:
            result = yield
        except (BudgetExhausted, TargetUnreachable) as exc:
            self._record(item)
            self.run.stopped = f"{_check_name(item.nodeid)}: {_one_line(str(exc))}"
            pytest.exit(self.run.stopped)
        except (pytest.exit.Exception, KeyboardInterrupt):
            self._record(item)
            raise
        except BaseException as exc:  # the check's own outcome: failed, not applicable, or an unexpected answer
            self._verdict(item, exc)
            raise
        self._verdict(item, None)
        return result

    def _record(self, item):
        """Log the check's findings for the run; returns the ones no deviation accepts."""
        new, accepted = deviation_rules.split(self.run.target.findings, self.run.deviations)
        self.run.findings.add(_check_name(item.nodeid), new, accepted)
        if accepted:
            deviations = {finding.key: deviation for finding, deviation in accepted}
            item.user_properties.append(
                (
                    "accepted",
                    "; ".join(
                        group.describe()
                        for group in grouped([finding for finding, _ in accepted], deviations=deviations)
                    ),
                )
            )
        return new

    def _verdict(self, item, exc: BaseException | None) -> None:
        """Record the check's findings; raise CheckFailed when it must fail, else let `exc` stand."""
        new = self._record(item)
        skipped = isinstance(exc, pytest.skip.Exception)
        if not new and (exc is None or skipped):
            return
        semantic = _semantic_reason(exc) if exc is not None else ""
        if skipped:
            semantic = f"not applicable ({semantic}), but its answers broke the contract"
        reasons = [semantic] if semantic else []
        if new:
            reasons.append(f"{len(grouped(new))} contract finding(s) ({len(new)} occurrences), listed below the table")
        item.user_properties.append(("reason", "; ".join(reasons)))
        item.user_properties.append(("details", self._details(exc, new)))
        if new or not isinstance(exc, AssertionError):
            details = "\n".join(f"  {group.describe()}" for group in grouped(new))
            raise CheckFailed(
                "\n".join(filter(None, [semantic, f"contract violations:\n{details}" if new else ""]))
            ) from None

    def _details(self, exc: BaseException | None, new) -> list[str]:
        """The failure in words: a RuleBroken's own, else the last exchange; then the findings."""
        if isinstance(exc, RuleBroken):
            details = list(exc.details)
        elif exc is not None and not isinstance(exc, (AssertionError, pytest.skip.Exception)):
            details = exchange_lines(self.run.target.last_response)
        else:
            details = []
        return details + [f"contract: {group.describe()}" for group in grouped(new)]

    def pytest_runtest_logreport(self, report):
        name = _check_name(report.nodeid)
        if report.when == "call" or (report.when == "setup" and not report.passed):
            properties = dict(report.user_properties)
            if report.skipped:
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                self.run.results.append(Result(name, "not applicable", reason.removeprefix("Skipped: ")))
            elif report.failed:
                message = getattr(report.longrepr, "reprcrash", None)
                reason = properties.get("reason") or (_one_line(message.message) if message else str(report.longrepr))
                self.run.results.append(Result(name, "failed", reason, properties.get("details", [])))
            elif properties.get("accepted"):
                self.run.results.append(Result(name, "accepted", properties["accepted"]))
            else:
                self.run.results.append(Result(name, "passed"))


def _check_name(nodeid: str) -> str:
    return nodeid.split("::")[-1].removeprefix("test_")
