"""Plain results documents (dicts of strings, numbers and lists) that html_report renders: one for
a conformance run, one for a fuzz run. Built from what the run kept, so the report needs nothing
else and could be rendered again from the JSON."""

import json
import re
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import yaml

from . import cassette, html_report
from .exchanges import Exchange, Recorder, curl_line, pretty, redacted_headers, secrets

STATUSES = ("failed", "accepted", "not applicable", "passed")
RUN_ID = re.compile(r'"CONF-([0-9a-f]+)-\d+"')


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _exchange(exchange: Exchange | None) -> dict:
    if exchange is None:
        return {}
    return {
        "request": exchange.request_line,
        "request_body": exchange.request_body,
        "status": exchange.status,
        "response": pretty(exchange.response_text),
        "curl": exchange.curl(),
    }


def _finding(number: int, group, recorder) -> dict:
    finding, deviation = group.example, group.deviation
    return {
        "id": f"finding-{number}",
        "operation": finding.operation,
        "rule": finding.rule,
        "json_path": finding.json_path,
        "message": finding.message,
        "count": group.count,
        "checks": group.checks,
        **({"accepted": deviation.accepted, "why": deviation.why} if deviation else {}),
        **_exchange(recorder.by_finding.get(str(finding))),
    }


def _run_id(recorder) -> str:
    """The run id the harness put in the names of the invoices it created (CONF-<run id>-<n>)."""
    for exchange in recorder.exchanges if recorder else ():
        if match := RUN_ID.search(exchange.request_body):
            return match.group(1)
    return "(no invoice created)"


def conformance(outcome, settings, recorder) -> dict:
    """The document of a conformance run (runner.Outcome), with the exchanges its observer kept
    (none when the run stopped before it started)."""
    recorder = recorder or Recorder({})
    findings = [
        _finding(number, group, recorder)
        for number, group in enumerate(outcome.findings.new + outcome.findings.accepted, 1)
    ]
    order = {status: index for index, status in enumerate(STATUSES)}
    checks = [
        {
            "check": result.check,
            "status": result.status,
            "reason": result.reason,
            "details": result.details,
            "findings": [f["id"] for f in findings if result.check in f["checks"]],
        }
        for result in sorted(outcome.results, key=lambda r: (order.get(r.status, 0), r.check))
    ]
    totals = Counter(result.status for result in outcome.results)
    return {
        "kind": "conformance",
        "target": settings.base_url if settings else "(no target)",
        "run_id": _run_id(recorder),
        "target_kind": "the stand-in" if recorder.is_mock else "a deployment",
        "finished_at": now(),
        "seconds": round(recorder.seconds, 1),
        "requests": len(recorder.exchanges),
        "verdict": outcome.verdict.word,
        "verdict_reasons": outcome.verdict.reasons,
        "exit_code": outcome.code,
        "totals": {status: totals[status] for status in STATUSES},
        "checks": checks,
        "findings": findings,
    }


def observe(settings) -> Recorder:
    """A recorder of every exchange of the run about to start with `settings`."""
    settings.observer = Recorder(secrets(settings))
    return settings.observer


def save_conformance(path: Path, outcome, settings, recorder: Recorder) -> None:
    html_report.write(path, conformance(outcome, settings, recorder))


def fuzz(report_dir: Path, settings, verdict) -> dict:
    """The document of a fuzz run, read from its report directory (cassette, failures, and the
    context file written when the run started)."""
    context_file, failures_file = report_dir / "context.json", report_dir / "failures.yaml"
    context = yaml.safe_load(context_file.read_text()) if context_file.exists() else {}
    seconds = time.time() - context_file.stat().st_mtime if context_file.exists() else 0.0
    counts = cassette.stats(report_dir / "cassette.yaml")
    refills_file = report_dir / "refills.json"
    pool = json.loads(refills_file.read_text()).get("line", "") if refills_file.exists() else ""
    interactions = []
    if failures_file.exists():
        interactions = (yaml.safe_load(failures_file.read_text(encoding="utf-8")) or {}).get("http_interactions") or []
    mapping = secrets(settings)
    failures = []
    for interaction in interactions:
        request, response = interaction["request"], interaction.get("response") or {}
        headers = {name: values[0] for name, values in (request.get("headers") or {}).items()}
        headers = {name: value for name, value in headers.items() if name.lower() != "authorization"}
        headers["Authorization"] = f"Token {settings.token}"
        body = (request.get("body") or {}).get("string")
        failures.append(
            {
                "id": interaction["id"],
                "request": f"{request['method']} {request['uri']}",
                "request_body": body or "",
                "status": int(response["status"]["code"]) if response else None,
                "response": pretty((response.get("body") or {}).get("string") or "") if response else "(no response)",
                "checks": [
                    {"name": c["name"], "message": c.get("message") or ""}
                    for c in interaction.get("checks") or []
                    if c.get("status") == "FAILURE"
                ],
                "curl": curl_line(request["method"], request["uri"], redacted_headers(headers, mapping), body),
            }
        )
    replay = (
        f'campfire-conformance --base-url {settings.base_url} --token "$CAMPFIRE_TARGET_TOKEN" replay {failures_file}'
        if failures
        else ""
    )
    return {
        "kind": "fuzz",
        "target": settings.base_url,
        "run_id": context.get("run_id", ""),
        "target_kind": "the stand-in" if context.get("is_mock") else "a deployment",
        "finished_at": now(),
        "seconds": round(seconds, 1),
        "requests": counts["requests"],
        "verdict": verdict.word,
        "verdict_reasons": verdict.reasons,
        "exit_code": verdict.code,
        "voids": counts["voids"],
        "void_200": counts["void_200"],
        "deep_state_share": counts["void_200"] / counts["requests"] if counts["requests"] else 0.0,
        "failures": failures,
        "replay": replay,
        "pool": pool,
    }


def save_fuzz(report_dir: Path, settings, verdict) -> None:
    """report.html and summary.json (the same document, with the run's exit code, which `make`
    would otherwise hide) in the fuzz report directory."""
    document = fuzz(report_dir, settings, verdict)
    html_report.write(report_dir / "report.html", document)
    (report_dir / "summary.json").write_text(json.dumps(document, indent=2) + "\n")
