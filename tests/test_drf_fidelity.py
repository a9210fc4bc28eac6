"""The stand-in against real Django REST Framework (tests/drf_reference): the same requests to
both, over HTTP, each from the default dataset; the same status, content type, JSON body and
WWW-Authenticate, Allow, Vary and Location headers are required (bodies without
`last_modified_at`; for invoice reads, only the fields the reference serves).

Where a Campfire setting decides, the reference makes the stand-in's choice
(tests/drf_reference/settings.py CHOICES), so the comparison is of DRF itself:
- an unrouted path: Django's HTML 404 page (DEBUG off), not DRF's JSON;
- a missing object: "Not found." (DRF before 3.15; from 3.15 "No Invoice matches the given query.");
- no browsable API (JSONRenderer only): Accept text/html is a 406, and no view sends `Vary: Accept`;
- 1,000 form fields at most (Django's 400 page beyond);
- LimitOffsetPagination with PAGE_SIZE 100;
- view names as DRF derives them from class names ("Invoice Payment Void", "Invoice List").
Two scenarios carry a `choice` the stand-in makes otherwise (the body cap, OPTIONS without a
generic view's field actions): see drf_corpus.py.

`python tests/test_drf_fidelity.py REPORT.md` writes every difference to REPORT.md.
"""

import sys
from datetime import date
from pathlib import Path

import pytest
from drf_reference import server

from mock_server import running
from support.drf_corpus import CORPUS, TOKENS, comparable, difference, send

TODAY = date(2026, 7, 15)

# Differences observed today (scenario -> what differs); each is an xfail(strict=True) test, so
# it fails once the stand-in matches: remove the entry then.
KNOWN_DIFFERENCES: dict[str, str] = {}


@pytest.fixture(scope="module")
def sides(request):
    """The DRF reference and a stand-in, both serving the default dataset over HTTP."""
    with server.running(TODAY) as reference, running(today=TODAY) as standin:
        line = f"DRF fidelity: {len(CORPUS)} scenarios, {2 * len(CORPUS)} requests (one to each side)"
        with request.config.pluginmanager.getplugin("capturemanager").global_and_fixture_disabled():
            print(f"\n{line}")  # seen with -n 0; under xdist a worker's output is not shown
        yield reference, standin


def answers(sides, scenario) -> tuple[dict, dict]:
    """Both sides' answers to `scenario`, each side fresh from the default dataset."""
    reference, standin = sides
    reference.reset()
    standin.restore()
    drf = send(reference.base_url, scenario)
    ours = send(standin.base_url, scenario)
    keep = drf.body if scenario.project else None
    return comparable(drf, reference.base_url), comparable(ours, standin.base_url, keep)


def verdict(scenario, drf: dict, ours: dict) -> str | None:
    """What is wrong with the stand-in's answer, in one line; None when it is right."""
    if scenario.clean_4xx:
        return None if 400 <= ours["status"] < 500 else f"status {ours['status']}, not a 4xx"
    if scenario.choice and not scenario.drops:
        json_4xx = 400 <= ours["status"] < 500 and ours["headers"].get("content-type") == "application/json"
        return None if json_4xx else f"status {ours['status']}, not the 4xx JSON answer chosen"
    if scenario.drops and isinstance(drf["body"], dict):
        drf = {**drf, "body": {key: value for key, value in drf["body"].items() if key not in scenario.drops}}
    return None if ours == drf else difference(drf, ours)


def marked(scenario):
    if scenario.name in KNOWN_DIFFERENCES:
        return pytest.param(
            scenario, id=scenario.name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[scenario.name])
        )
    return pytest.param(scenario, id=scenario.name)


@pytest.mark.parametrize("scenario", [marked(scenario) for scenario in CORPUS])
def test_same_answer_as_drf(sides, scenario):
    drf, ours = answers(sides, scenario)
    if scenario.clean_4xx:
        assert drf["status"] >= 500, "DRF answers this one itself now: compare it instead"
    assert verdict(scenario, drf, ours) is None, ours


def test_corpus_names_are_unique_and_known_differences_exist():
    names = [scenario.name for scenario in CORPUS]
    assert len(names) == len(set(names))
    assert set(KNOWN_DIFFERENCES) <= set(names)


def report(path: Path) -> int:
    """Every scenario whose answers differ, as the lead's work list (tokens shown by role);
    prints KNOWN_DIFFERENCES as it is today."""
    import json

    sections, known = [], {}
    with server.running(TODAY) as reference, running(today=TODAY) as standin:
        for scenario in CORPUS:
            drf, ours = answers((reference, standin), scenario)
            wrong = verdict(scenario, drf, ours)
            if wrong is None:
                continue
            known[scenario.name] = wrong
            headers = {
                name: value if isinstance(value, str) else value.decode("latin-1")
                for name, value in scenario.headers.items()
            }
            body = (
                scenario.body
                if scenario.body is None or len(scenario.body) < 300
                else scenario.body[:120] + f"... ({len(scenario.body)} bytes)".encode()
            )
            sections.append(
                "\n".join(
                    [
                        f"## {scenario.name}",
                        "",
                        f"Differs: {wrong}",
                        "",
                        f"Request: `{scenario.method} {scenario.path}` headers `{json.dumps(headers)}` body `{body!r}`",
                        *(["Expected: a 4xx from the stand-in (DRF answers 5xx)."] if scenario.clean_4xx else []),
                        "",
                        "DRF:",
                        "```json",
                        json.dumps(drf, indent=1)[:3000],
                        "```",
                        "Stand-in:",
                        "```json",
                        json.dumps(ours, indent=1)[:3000],
                        "```",
                        "",
                    ]
                )
            )
    tokens = ", ".join(f"{{{role}}}" for role in TOKENS)
    path.write_text(
        "\n".join(
            [
                "# Differences between the stand-in and the DRF reference",
                "",
                __doc__,
                "",
                (
                    f"Generated by `python tests/test_drf_fidelity.py`: {len(sections)} of {len(CORPUS)} scenarios differ. "
                    f"Tokens are shown as {tokens}."
                ),
                "",
                *sections,
            ]
        )
    )
    print("KNOWN_DIFFERENCES = {", *(f"    {name!r}: {line!r}," for name, line in known.items()), "}", sep="\n")
    return len(sections)


if __name__ == "__main__":
    print(report(Path(sys.argv[1])), "scenarios differ")
