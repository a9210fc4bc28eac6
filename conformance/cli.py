"""`campfire-conformance`: check a deployment against the contract; exit 0 conformant,
1 not conformant, 2 usage or connection error."""
import contextlib
import sys
import time
from pathlib import Path

import click
import pytest

from . import deviations
from .plugin import ConformancePlugin, Run
from .provisioning import Provisioner
from .report import summary
from .target import BudgetExhausted, Settings, Target, TargetUnreachable

SUITE = Path(__file__).parent / "suite"
USAGE, NONCONFORMANT = 2, 1


def _target_options(function):
    options = [
        click.option("--base-url", envvar="CAMPFIRE_BASE_URL", help="Deployment to check; absent: a local stand-in is started."),
        click.option("--token", envvar="CAMPFIRE_TOKEN", help="API token (Authorization: Token ...) able to void."),
        click.option("--view-only-token", envvar="CAMPFIRE_VIEW_ONLY_TOKEN", help="A view-only token, for the 403 check."),
        click.option("--admin-token", envvar="CAMPFIRE_ADMIN_TOKEN", help="The stand-in's admin token (enables its extra checks)."),
        click.option("--max-requests", envvar="CAMPFIRE_MAX_REQUESTS", type=click.IntRange(1), default=2000, show_default=True),
        click.option("--max-rps", envvar="CAMPFIRE_MAX_RPS", type=click.FloatRange(0), default=10.0, show_default=True,
                     help="Requests per second (0: unpaced; the local stand-in is never paced)."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@contextlib.contextmanager
def _settings(base_url, token, view_only_token, admin_token, max_requests, max_rps):
    """Settings for the given target, or for a local stand-in started for the run."""
    if base_url:
        if not token:
            raise click.UsageError("--token (or CAMPFIRE_TOKEN) is required with --base-url")
        yield Settings(base_url, token, view_only_token, admin_token, max_requests, max_rps)
        return
    from .local import LocalStandIn
    with LocalStandIn() as local:
        click.echo(f"No --base-url: checking a local stand-in on {local.url}", err=True)
        yield Settings(local.url, local.token, local.view_only_token, local.admin_token, max_requests, 0)


@click.group(invoke_without_command=True)
@_target_options
@click.option("--known-deviations", envvar="CAMPFIRE_KNOWN_DEVIATIONS", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pairs", envvar="CAMPFIRE_PAIRS", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="JSON/YAML list of disposable {invoice_id, payment_id} to void instead of creating them.")
@click.option("--junit", envvar="CAMPFIRE_JUNIT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--report", envvar="CAMPFIRE_REPORT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--order-seed", type=int, help="Run the checks in a shuffled order (for order-independence runs).")
@click.pass_context
def main(ctx, base_url, token, view_only_token, admin_token, max_requests, max_rps, known_deviations, pairs, junit,
         report, order_seed):
    """Check a Campfire deployment (or the stand-in) against the Void Invoice Payment contract."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = dict(base_url=base_url, token=token, view_only_token=view_only_token, admin_token=admin_token,
                       max_requests=max_requests, max_rps=max_rps)
        return
    try:
        accepted = deviations.load(known_deviations)
        with _settings(base_url, token, view_only_token, admin_token, max_requests, max_rps) as settings:
            code = _run(settings, accepted, pairs, junit, report, order_seed)
    except (deviations.DeviationFileError, TargetUnreachable) as exc:
        click.echo(f"error: {exc}", err=True)
        code = USAGE
    ctx.exit(code)


def _run(settings: Settings, accepted, pairs, junit, report, order_seed) -> int:
    started = time.perf_counter()
    target = Target(settings)
    target.probe()
    if target.detect_mock():
        settings.max_rps = 0  # the stand-in is local and disposable: no pacing needed
    run = Run(target, Provisioner(target, pairs), accepted, order_seed)
    args = [str(SUITE), "-c", str(SUITE / "pytest.ini"), "--rootdir", str(SUITE), "-q", "--tb=no", "--no-header",
            "-rN", "-p", "no:cacheprovider", "-p", "no:warnings"]
    if junit:
        args += ["--junitxml", str(junit)]
    exit_code = pytest.main(args, plugins=[ConformancePlugin(run)])
    target.close()
    text = summary(run.results, base_url=settings.base_url, seconds=time.perf_counter() - started,
                   requests=target.requests_sent, is_mock=target.is_mock)
    click.echo(text)
    if report:
        report.write_text(text + "\n")
    if any(r.status == "failed" and "BudgetExhausted" in r.reason for r in run.results):
        click.echo(f"note: {BudgetExhausted.__name__}: raise --max-requests to run every check", err=True)
    if exit_code == pytest.ExitCode.OK:
        return 0
    return NONCONFORMANT if exit_code == pytest.ExitCode.TESTS_FAILED else USAGE


if __name__ == "__main__":
    sys.exit(main())
