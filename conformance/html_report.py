"""One self-contained HTML page from a results document (conformance, fuzz or compare): inline
style and a few lines of script, no network (a Content-Security-Policy forbids any fetch), so the
file can be uploaded as a CI artifact and opened anywhere.

Failures come first and open; everything else is folded in <details> a reader can open.
"""

from html import escape
from pathlib import Path

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2433;background:#f6f7f9}
header{padding:18px 28px;color:#fff}header.good{background:#1f7a3e}header.bad{background:#b3261e}
header.unknown{background:#6b5b00}h1{margin:0 0 6px;font-size:24px}header p{margin:2px 0;opacity:.92}
main{padding:16px 28px 40px}.totals span{display:inline-block;margin:0 8px 8px 0;padding:4px 10px;
border-radius:12px;background:#e4e7ec}.totals b{margin-right:4px}
details{background:#fff;border:1px solid #d6d9df;border-radius:6px;margin:6px 0;padding:6px 12px}
summary{cursor:pointer}.status{display:inline-block;min-width:104px;font-weight:600}
.failed>summary .status,.differs .status{color:#b3261e}.passed>summary .status,.same .status{color:#1f7a3e}
.accepted>summary .status,.covered .status{color:#8a5a00}.not-applicable>summary .status{color:#5b6170}
.reason{color:#444}.finding{border-left:3px solid #b3261e;padding:4px 10px;margin:10px 0}
.finding.accepted-finding{border-color:#c58a00}dl{display:grid;grid-template-columns:max-content auto;
gap:2px 12px;margin:4px 0}dt{color:#5b6170}dd{margin:0}pre{background:#f0f2f5;padding:8px;overflow:auto;
max-height:320px;white-space:pre-wrap;word-break:break-all;margin:4px 0}code{font-size:13px}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:12px}table{border-collapse:collapse;margin:6px 0}
td,th{border:1px solid #d6d9df;padding:4px 8px;text-align:left;vertical-align:top}
nav label{margin-right:12px}.brief{color:#5b6170;margin-left:8px;display:inline-block;max-width:60%;vertical-align:bottom;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}details[open]>summary .brief{display:none}h2{font-size:17px;margin:22px 0 6px}
"""

# Show only the entries of one status; works without it too (every entry is in the page).
SCRIPT = """
document.querySelectorAll('nav input').forEach(function (radio) {
  radio.addEventListener('change', function () {
    document.querySelectorAll('[data-status]').forEach(function (entry) {
      entry.hidden = radio.value !== 'all' && entry.dataset.status !== radio.value;
    });
  });
});
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


def _e(value) -> str:
    return escape(str(value), quote=True)


def _page(title: str, tone: str, header: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f'<style>{STYLE}</style></head><body><header class="{tone}">{header}</header><main>{body}</main>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )


TONES = {"CONFORMS": "good", "DOES NOT CONFORM": "bad"}  # INCOMPLETE and ERROR: unknown


def _verdict(document: dict) -> str:
    """The verdict's word and why (what was missing, INTERRUPTED, the error)."""
    reasons = "".join(f'<p class="why">{_e(reason)}</p>' for reason in document.get("verdict_reasons") or [])
    return f"<h1>{_e(document['verdict'])}</h1>{reasons}"


def _run_facts(document: dict, what: str) -> str:
    return (
        f"<p>{_e(what)} of <b>{_e(document['target'])}</b> ({_e(document['target_kind'])})</p>"
        f"<p>run <code>{_e(document['run_id'])}</code> &middot; finished {_e(document['finished_at'])} &middot; "
        f"{document['seconds']} s &middot; {document['requests']} requests</p>"
    )


def _pre(label: str, text, css: str = "") -> str:
    if text in (None, ""):
        return ""
    return f'<dt>{_e(label)}</dt><dd><pre class="{css}"><code>{_e(text)}</code></pre></dd>'


def _exchange(entry: dict) -> str:
    if not entry.get("request"):
        return ""
    return (
        f"<dt>request</dt><dd><code>{_e(entry['request'])}</code></dd>"
        + _pre("request body", entry.get("request_body"))
        + f"<dt>answer</dt><dd>{_e(entry.get('status'))}</dd>"
        + _pre("response", entry.get("response"), "response")
        + _pre("reproduce", entry.get("curl"), "curl")
    )


def _finding(finding: dict) -> str:
    accepted = "accepted" in finding
    extra = (
        f"<dt>accepted</dt><dd>{_e(finding['accepted'])}</dd><dt>why</dt><dd>{_e(finding['why'])}</dd>"
        if accepted
        else ""
    )
    return (
        f'<div class="finding{" accepted-finding" if accepted else ""}" id="{_e(finding["id"])}"><dl>'
        f"<dt>rule</dt><dd><code>{_e(finding['rule'])}</code></dd>"
        f"<dt>operation</dt><dd><code>{_e(finding['operation'])}</code></dd>"
        f"<dt>JSON path</dt><dd><code>{_e(finding['json_path'])}</code></dd>"
        f"<dt>finding</dt><dd>{_e(finding['message'])}</dd>"
        f"<dt>seen</dt><dd>{finding['count']} time(s), in {_e(', '.join(finding['checks']) or '-')}</dd>"
        f"{extra}{_exchange(finding)}</dl></div>"
    )


def _finding_link(finding: dict) -> str:
    state = " (accepted)" if "accepted" in finding else ""
    return (
        f'<li><a href="#{_e(finding["id"])}">[{_e(finding["rule"])}] {_e(finding["operation"])} at '
        f"<code>{_e(finding['json_path'])}</code></a>{state}: {_e(finding['message'])}</li>"
    )


def _filter(statuses) -> str:
    radios = "".join(f'<label><input type="radio" name="show" value="{_e(s)}">{_e(s)}</label>' for s in statuses)
    return f'<nav>Show: <label><input type="radio" name="show" value="all" checked>all</label>{radios}</nav>'


def _details(lines) -> str:
    """A failure in words: found, rule, expected, request, answer (one term each)."""
    rows = "".join(
        f"<dt>{_e(term)}</dt><dd><code>{_e(text)}</code></dd>"
        for term, _, text in (line.partition(": ") for line in lines)
    )
    return f'<dl class="in-words">{rows}</dl>' if rows else ""


def _conformance(document: dict) -> str:
    tone = TONES.get(document["verdict"], "unknown")
    header = _verdict(document) + _run_facts(document, "Conformance")
    totals = "".join(f"<span><b>{count}</b>{_e(status)}</span>" for status, count in document["totals"].items())
    by_id = {finding["id"]: finding for finding in document["findings"]}
    checks = []
    for check in document["checks"]:
        body = f'<p class="reason">{_e(check["reason"])}</p>' if check["reason"] else ""
        body += _details(check.get("details") or [])
        links = "".join(_finding_link(by_id[number]) for number in check["findings"])
        body += f"<p>Contract findings in this check:</p><ul>{links}</ul>" if links else ""
        checks.append(
            f'<details class="check {check["status"].replace(" ", "-")}" data-status="{_e(check["status"])}"'
            f'{" open" if check["status"] == "failed" else ""}><summary><span class="status">'
            f'{_e(check["status"])}</span> <code>{_e(check["check"])}</code> <span class="brief">{_e(check["reason"])}'
            f"</span></summary>{body}</details>"
        )
    new = [f for f in document["findings"] if "accepted" not in f]
    accepted = [f for f in document["findings"] if "accepted" in f]
    sections = "".join(
        f"<h2>{title} ({len(found)} distinct, {sum(f['count'] for f in found)} occurrences)</h2>"
        + "".join(_finding(f) for f in found)
        for title, found in (("Contract findings", new), ("Accepted deviations", accepted))
        if found
    )
    body = f'<div class="totals">{totals}</div>{_filter(document["totals"])}<h2>Checks</h2>{"".join(checks)}{sections}'
    return _page(f"Conformance: {document['verdict']}", tone, header, body)


def _fuzz(document: dict) -> str:
    tone = TONES.get(document["verdict"], "unknown")
    header = _verdict(document) + _run_facts(document, "Fuzzing")
    share = (
        f"<p>Deep-state coverage: <b>{document['void_200']}</b> of {document['requests']} requests "
        f"(<b>{document['deep_state_share']:.1%}</b>) were a void answered 200; {document['voids']} voids sent.</p>"
        + (f"<p>{_e(document['pool'])}</p>" if document.get("pool") else "")
    )
    replay = (
        f"<h2>Replay every failure</h2><pre><code>{_e(document['replay'])}</code></pre>" if document["replay"] else ""
    )
    failures = []
    for failure in document["failures"]:
        checks = "".join(f"<li><code>{_e(c['name'])}</code>: {_e(c['message'])}</li>" for c in failure["checks"])
        failures.append(
            f'<details class="check failed" data-status="failed" open><summary><span class="status">failed'
            f"</span> <code>{_e(failure['request'])}</code></summary><ul>{checks}</ul>"
            f"<dl>{_exchange(failure)}</dl></details>"
        )
    body = share + replay + f"<h2>Failures ({len(failures)})</h2>" + ("".join(failures) or "<p>None.</p>")
    return _page(f"Fuzzing: {document['verdict']}", tone, header, body)


def _side(answer: dict) -> str:
    return (
        f"<div><h3>{_e(answer['target'])}</h3><p>status <b>{_e(answer['status'])}</b></p>"
        f"<pre><code>{_e(answer['response'])}</code></pre></div>"
    )


def _compare(document: dict) -> str:
    tone = "good" if document["verdict"] == "SAME BEHAVIOUR" else "bad"
    header = (
        f"<h1>{_e(document['verdict'])}</h1><p>{_e(document['base'])} compared with "
        f"<b>{_e(document['against'])}</b></p><p>finished {_e(document['finished_at'])} &middot; "
        f"{document['seconds']} s &middot; {document['requests']} requests</p>"
    )
    steps = []
    for step in document["steps"]:
        css = "differs" if step["differences"] else ("covered" if step["accepted"] else "same")
        status = {"differs": "differs", "covered": "accepted", "same": "same"}[css]
        rows = "".join(
            f"<tr><td><code>{_e(d['rule'])}</code></td><td><code>{_e(d['json_path'])}</code></td>"
            f"<td>{_e(d['message'])}</td><td>{_e(d.get('accepted', ''))}</td></tr>"
            for d in step["differences"] + step["accepted"]
        )
        table = (
            f"<table><tr><th>difference</th><th>JSON path</th><th>detail</th><th>accepted</th></tr>{rows}</table>"
            if rows
            else ""
        )
        sides = "".join(
            f'<p><code>{_e(pair["request"])}</code></p><div class="sides">{_side(pair["base"])}'
            f"{_side(pair['against'])}</div>"
            for pair in step["answers"]
        )
        steps.append(
            f'<details class="step {css}" data-status="{status}"{" open" if css == "differs" else ""}>'
            f'<summary><span class="status">{status}</span> {_e(step["step"])}</summary>{table}{sides}</details>'
        )
    totals = "".join(f"<span><b>{count}</b>{_e(status)}</span>" for status, count in document["totals"].items())
    body = f'<div class="totals">{totals}</div>{_filter(document["totals"])}<h2>Steps</h2>{"".join(steps)}'
    return _page(f"Compare: {document['verdict']}", tone, header, body)


RENDERERS = {"conformance": _conformance, "fuzz": _fuzz, "compare": _compare}


def render(document: dict) -> str:
    return RENDERERS[document["kind"]](document)


def write(path: Path, document: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(document), encoding="utf-8")
