"""`campfire-conformance`: check a deployment against the contract. The verdict, the same word in
every output: CONFORMS (exit 0), DOES NOT CONFORM (1), INCOMPLETE or ERROR (2)."""

import contextlib
import os
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from . import deviations, redaction, results_document, runner
from .exchanges import secrets
from .findings import FindingLog
from .provisioning import CannotGoOn
from .report import add_to_junit
from .target import Settings, TargetUnreachable
from .verdict import ERROR, EXIT_CODES, INCOMPLETE, INTERRUPTED, Verdict

# One name per meaning: the harness's target is CAMPFIRE_TARGET_*; the pytest plugin's shared
# stand-in is CAMPFIRE_STANDIN_*. The names that meant either are refused, never silently reused.
RETIRED_VARIABLES = {
    "CAMPFIRE_BASE_URL": "CAMPFIRE_TARGET_URL",
    "CAMPFIRE_TOKEN": "CAMPFIRE_TARGET_TOKEN",
    "CAMPFIRE_VIEW_ONLY_TOKEN": "CAMPFIRE_TARGET_VIEW_ONLY_TOKEN",
    "CAMPFIRE_ADMIN_TOKEN": "CAMPFIRE_TARGET_ADMIN_TOKEN",
}
ASIDES = {"CAMPFIRE_ADMIN_TOKEN": " (the pytest plugin's shared stand-in: CAMPFIRE_STANDIN_ADMIN_TOKEN)"}


class UsageProblem(Exception):
    """A usage error, said in one line (ERROR, exit code 2)."""


def retired_variable_problem(environ=os.environ) -> str:
    """The one-line refusal of a retired environment variable that is set, or ""."""
    for name, instead in RETIRED_VARIABLES.items():
        if environ.get(name):
            return f"{name} is no longer read (it meant two things); set {instead} instead{ASIDES.get(name, '')}"
    return ""


def _target_options(function):
    options = [
        click.option(
            "--base-url", envvar="CAMPFIRE_TARGET_URL", help="Deployment to check; absent: a local stand-in is started."
        ),
        click.option(
            "--token", envvar="CAMPFIRE_TARGET_TOKEN", help="API token (Authorization: Token ...) able to void."
        ),
        click.option(
            "--view-only-token", envvar="CAMPFIRE_TARGET_VIEW_ONLY_TOKEN", help="A view-only token, for the 403 check."
        ),
        click.option(
            "--admin-token",
            envvar="CAMPFIRE_TARGET_ADMIN_TOKEN",
            help="The target's admin token, when the target is the stand-in (enables its extra checks).",
        ),
        click.option(
            "--max-requests", envvar="CAMPFIRE_MAX_REQUESTS", type=click.IntRange(1), default=2000, show_default=True
        ),
        click.option(
            "--max-rps",
            envvar="CAMPFIRE_MAX_RPS",
            type=click.FloatRange(0),
            default=10.0,
            show_default=True,
            help="Requests per second (0: unpaced; the local stand-in is never paced).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@contextlib.contextmanager
def _settings(base_url, token, view_only_token, admin_token, max_requests, max_rps):
    """Settings for the given target, or for a local stand-in started for the run."""
    if problem := retired_variable_problem():
        raise UsageProblem(problem)
    if base_url:
        if not token:
            raise UsageProblem("--token (or CAMPFIRE_TARGET_TOKEN) is required with --base-url")
        yield Settings(base_url, token, view_only_token, admin_token, max_requests, max_rps)
        return
    from .local import LocalStandIn

    with LocalStandIn() as local:
        click.echo(f"No --base-url: checking a local stand-in on {local.url}", err=True)
        yield Settings(local.url, local.token, local.view_only_token, local.admin_token, max_requests, 0)


@click.group(invoke_without_command=True)
@_target_options
@click.option(
    "--known-deviations",
    envvar="CAMPFIRE_KNOWN_DEVIATIONS",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--pairs",
    envvar="CAMPFIRE_PAIRS",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON/YAML list of disposable {invoice_id, payment_id} to void instead of creating them.",
)
@click.option("--junit", envvar="CAMPFIRE_JUNIT", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--report", envvar="CAMPFIRE_REPORT", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--html",
    envvar="CAMPFIRE_HTML",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a self-contained HTML report (findings with request, response and a curl line).",
)
@click.option("--order-seed", type=int, help="Run the checks in a shuffled order (for order-independence runs).")
@click.option(
    "--only",
    metavar="EXPR",
    help="Run only the checks matching this pytest -k expression, e.g. "
    "'second_void or reversing' (a run of some checks cannot say CONFORMS unless they exercise the core rules).",
)
@click.pass_context
def main(
    ctx,
    base_url,
    token,
    view_only_token,
    admin_token,
    max_requests,
    max_rps,
    known_deviations,
    pairs,
    junit,
    report,
    order_seed,
    only,
    html,
):
    """Check a Campfire deployment (or the stand-in) against the Void Invoice Payment contract."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = dict(
            base_url=base_url,
            token=token,
            view_only_token=view_only_token,
            admin_token=admin_token,
            max_requests=max_requests,
            max_rps=max_rps,
        )
        ctx.meta["request_cap"] = (
            None if ctx.get_parameter_source("max_requests") is ParameterSource.DEFAULT else max_requests
        )
        return
    outputs = {"junit": junit, "report": report, "html": html}
    try:
        accepted = deviations.load(known_deviations)
        with _settings(base_url, token, view_only_token, admin_token, max_requests, max_rps) as settings:
            code = _run(settings, accepted, pairs, order_seed, only, outputs)
    except (deviations.DeviationFileError, UsageProblem) as exc:
        code = _stopped(Verdict(ERROR, [str(exc)]), None, outputs)
    ctx.exit(code)


def _run(settings: Settings, accepted, pairs, order_seed, only, outputs) -> int:
    if outputs["junit"]:
        outputs["junit"].parent.mkdir(parents=True, exist_ok=True)
    recorder = results_document.observe(settings) if outputs["html"] else None
    try:
        outcome = runner.check(
            settings, deviations=accepted, pairs=pairs, junit=outputs["junit"], order_seed=order_seed, only=only
        )
    except TargetUnreachable as exc:
        return _stopped(Verdict(ERROR, [str(exc)]), settings, outputs, recorder)
    except KeyboardInterrupt:
        return _stopped(
            Verdict(INCOMPLETE, [f"{INTERRUPTED} (Ctrl-C) before the first check"]), settings, outputs, recorder
        )
    if not outcome.results and only:
        click.echo(f"note: no check matches --only {only!r}", err=True)
    _write(outcome, settings, outputs, recorder, junit_written=True)
    return outcome.code


def _stopped(verdict: Verdict, settings, outputs, recorder=None) -> int:
    """A run that ended before its checks: the verdict in one line, and in every report asked for."""
    outcome = runner.Outcome(verdict, verdict.line, [], FindingLog())
    _write(outcome, settings, outputs, recorder, stream_err=True)
    return outcome.code


def _write(outcome, settings, outputs, recorder, stream_err: bool = False, junit_written: bool = False) -> None:
    """The verdict on the console and in each report asked for (the runner wrote its JUnit file),
    every secret redacted."""
    hidden = secrets(settings) if settings else {}
    click.echo(redaction.redact(outcome.text, hidden), err=stream_err)
    if outputs["junit"] and not junit_written:
        add_to_junit(outputs["junit"], outcome.findings, outcome.verdict, outcome.text)
    if outputs["report"]:
        outputs["report"].parent.mkdir(parents=True, exist_ok=True)
        outputs["report"].write_text(outcome.text + "\n")
    if outputs["html"]:
        results_document.save_conformance(outputs["html"], outcome, settings, recorder)
    redaction.redact_files([path for path in outputs.values() if path], hidden)


@main.command()
@click.option(
    "--max-examples", type=click.IntRange(1), default=30, show_default=True, help="Examples per operation and phase."
)
@click.option("--max-time", type=click.IntRange(1), help="Time budget in seconds for the whole fuzz run.")
@click.option("--phases", default="examples,coverage,fuzzing,stateful", show_default=True)
@click.option(
    "--pool", type=click.IntRange(1), help="Payments provisioned to void (default 300 on the stand-in, 20 elsewhere)."
)
@click.option("--seed", type=int, help="Schemathesis seed, to reproduce a run.")
@click.option("--workers", type=click.IntRange(1, 16), default=1, show_default=True)
@click.option(
    "--report-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("reports/fuzz"), show_default=True
)
@click.pass_obj
def fuzz(target_options, max_examples, max_time, phases, pool, seed, workers, report_dir):
    """Fuzz the target with Schemathesis (all checks, all phases), real ids in the void's path."""
    from . import fuzz as fuzzing

    options = fuzzing.FuzzOptions(
        max_examples,
        max_time,
        phases,
        pool,
        seed,
        workers,
        report_dir,
        click.get_current_context().meta.get("request_cap"),
    )
    try:
        with _settings(**target_options) as settings:
            verdict = fuzzing.run(settings, options)
            results_document.save_fuzz(options.report_dir, settings, verdict)
            redaction.redact_tree(options.report_dir, secrets(settings))
    except (TargetUnreachable, UsageProblem) as exc:
        verdict = Verdict(ERROR, [str(exc)])
    except CannotGoOn as exc:  # nothing to void with: the void itself could not be fuzzed
        verdict = Verdict(INCOMPLETE, [str(exc)])
    click.echo(verdict.line, err=verdict.word == ERROR)
    sys.exit(verdict.code)


@main.command()
@click.argument("cassette_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def replay(target_options, cassette_file):
    """Send the requests of a cassette (failures.yaml of a fuzz run) again; exit 1 while one still fails."""
    from . import cassette

    if not target_options["base_url"] or not target_options["token"]:
        raise click.UsageError("replay needs --base-url and --token (or CAMPFIRE_TARGET_URL and CAMPFIRE_TARGET_TOKEN)")
    still_failing = 0
    for result in cassette.replay(cassette_file, target_options["base_url"], target_options["token"]):
        again = result["now"] >= 500 if result["recorded"] >= 500 else result["now"] == result["recorded"]
        still_failing += again
        click.echo(
            f"{result['id']} {result['method']} {result['path']}: recorded {result['recorded']}, now {result['now']}"
            f" -> {'STILL FAILS' if again else 'fixed'} ({', '.join(result['checks']) or 'no check named'})"
        )
        if again:
            click.echo(f"    {result['body']}")
    click.echo(f"{still_failing} failing request(s) reproduced")
    sys.exit(1 if still_failing else 0)


@main.command()
@click.option(
    "--base-url", help="The first deployment (default: the --base-url before `compare`, else a local stand-in)."
)
@click.option("--token", help="Its API token (default: the --token before `compare`).")
@click.option(
    "--against", "against_url", envvar="CAMPFIRE_AGAINST_URL", required=True, help="The deployment to compare with."
)
@click.option("--against-token", envvar="CAMPFIRE_AGAINST_TOKEN", required=True, help="Its API token.")
@click.option(
    "--against-view-only-token",
    envvar="CAMPFIRE_AGAINST_VIEW_ONLY_TOKEN",
    help="Its view-only token: with a --view-only-token, the view-only generic requests go to both.",
)
@click.option(
    "--known-deviations",
    envvar="CAMPFIRE_KNOWN_DEVIATIONS",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Accepted differences (operation, json_path, rule, accepted, why), as for a conformance run.",
)
@click.option(
    "--html", type=click.Path(dir_okay=False, path_type=Path), help="Write the two answers of each step side by side."
)
@click.pass_obj
def compare(
    target_options, base_url, token, against_url, against_token, against_view_only_token, known_deviations, html
):
    """Play the same scenario on two deployments; exit 1 on a difference no known deviation covers."""
    from . import compare as comparing

    options = {
        **target_options,
        "base_url": base_url or target_options["base_url"],
        "token": token or target_options["token"],
    }
    try:
        accepted = deviations.load(known_deviations)
        with _settings(**options) as settings:
            against = Settings(
                against_url,
                against_token,
                against_view_only_token,
                max_requests=settings.max_requests,
                max_rps=options["max_rps"],
            )
            code = comparing.run(settings, against, accepted, html, echo=click.echo)
    except (deviations.DeviationFileError, TargetUnreachable, UsageProblem) as exc:
        click.echo(Verdict(ERROR, [str(exc)]).line, err=True)
        code = EXIT_CODES[ERROR]
    sys.exit(code)


if __name__ == "__main__":
    sys.exit(main())
