"""The benchmark's load generators (wrk + benchmarks/requests.lua, and the Python fallback) send
each line of a request file exactly once when given a limit, and count what was answered. The
benchmark's exactly-once check on voids rests on this. No figure is asserted, only counts."""

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from mock_server.serving import ServerThread

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import load  # noqa: E402

GENERATORS = [
    "python",
    pytest.param("wrk", marks=pytest.mark.skipif(not shutil.which("wrk"), reason="wrk not installed")),
]


def recording_app(received: Counter, refused: set[int]) -> Starlette:
    """POST .../payment/{id}/void/ answers 200 (400 for ids in `refused`); DELETE there 405."""

    async def void(request):
        payment_id = request.path_params["payment_id"]
        received[payment_id] += 1
        return JSONResponse({"id": payment_id}, status_code=400 if payment_id in refused else 200)

    return Starlette(
        routes=[Route("/coa/api/v1/invoice/{invoice_id:int}/payment/{payment_id:int}/void/", void, methods=["POST"])]
    )


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_limited_run_sends_every_line_once_and_counts_the_answers(generator, tmp_path):
    received = Counter()
    paths = [f"/coa/api/v1/invoice/{n}/payment/{n}/void/" for n in range(1, 121)]
    requests = load.write_requests(tmp_path / "voids.txt", "POST", paths)
    with ServerThread(recording_app(received, refused={7, 50})) as server:
        result = load.run(
            generator,
            server.url,
            requests,
            {"Content-Type": "application/json"},
            duration=30,
            limit=len(paths),
            body='{"void_date": null}',
        )
    assert received == Counter(range(1, 121))  # each payment exactly once, none skipped
    assert (result.answered, result.ok, result.other) == (120, 118, 2)
    assert result.responses >= 120 and result.elapsed > 0


@pytest.mark.parametrize("generator", GENERATORS)
def test_an_unlimited_run_cycles_over_the_file_until_the_duration_ends(generator, tmp_path):
    received = Counter()
    requests = load.write_requests(
        tmp_path / "voids.txt", "POST", [f"/coa/api/v1/invoice/1/payment/{n}/void/" for n in (1, 2, 3)]
    )
    with ServerThread(recording_app(received, refused=set())) as server:
        result = load.run(generator, server.url, requests, {}, duration=1, body="")
    assert set(received) == {1, 2, 3} and min(received.values()) > 1
    assert result.ok == result.answered > 3 and result.other == 0
