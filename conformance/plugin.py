"""The pytest plugin that runs the suite against a target: fixtures, contract findings per
check, and the results table (passed / failed / accepted / not applicable)."""
import random
from dataclasses import dataclass, field

import pytest

from . import deviations as deviation_rules
from .provisioning import NotProvisionable, Provisioner
from .target import Target


@dataclass
class Result:
    check: str
    status: str  # passed, failed, accepted, not applicable
    reason: str = ""


@dataclass
class Run:
    target: Target
    provisioner: Provisioner
    deviations: list = field(default_factory=list)
    order_seed: int | None = None
    results: list[Result] = field(default_factory=list)


def not_applicable(reason: str):
    """End a check that does not apply to this target, saying why."""
    pytest.skip(reason)


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
            not_applicable("the target is not the stand-in (no admin token, or its admin API refused it)")
        return self.run.target

    def pytest_collection_modifyitems(self, items):
        if self.run.order_seed is not None:
            random.Random(self.run.order_seed).shuffle(items)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        self.run.target.findings = []
        result = yield
        new, accepted = deviation_rules.split(self.run.target.findings, self.run.deviations)
        if accepted:
            item.user_properties.append(("accepted", "; ".join(
                f"{finding} (accepted: {deviation.accepted}; why: {deviation.why})" for finding, deviation in accepted)))
        if new:
            raise AssertionError("contract violations:\n" + "\n".join(f"  {finding}" for finding in new))
        return result

    def pytest_runtest_logreport(self, report):
        name = report.nodeid.split("::")[-1].removeprefix("test_")
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.skipped:
                reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
                self.run.results.append(Result(name, "not applicable", reason.removeprefix("Skipped: ")))
            elif report.failed:
                message = getattr(report.longrepr, "reprcrash", None)
                reason = message.message if message else str(report.longrepr)
                self.run.results.append(Result(name, "failed", " ".join(reason.split())[:400]))
            else:
                accepted = dict(report.user_properties).get("accepted")
                self.run.results.append(Result(name, "accepted", accepted) if accepted else Result(name, "passed"))
