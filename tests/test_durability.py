"""The ledger under real processes, on each storage engine: two `campfire-mock serve` processes
voiding the same payments at once, and `kill -9` in the middle of concurrent voids at several
moments. Every 200 is durable, nothing is half-applied, each voided Stripe payment has exactly one
refund."""

import subprocess
import sys

import pytest

from support.served import Serve, check_kill_9_during_voids, check_two_servers_void_each_payment_once


@pytest.fixture
def seeded(ledger_location) -> tuple[str, str]:
    """(serve option, ledger) holding the default dataset, on the engine of the test."""
    option, location = ledger_location
    assert (
        subprocess.run(
            [sys.executable, "-m", "mock_server.cli", "seed", "--db", location], capture_output=True
        ).returncode
        == 0
    )
    return option, location


def test_two_processes_on_one_ledger_void_each_payment_exactly_once(seeded):
    option, location = seeded
    first, second = Serve(location, option), Serve(location, option)
    try:
        check_two_servers_void_each_payment_once(location, first, second, 24)
    finally:
        first.stop()
        second.stop()


def test_kill_9_during_concurrent_voids_loses_no_answered_void_and_half_applies_none(seeded):
    option, location = seeded
    check_kill_9_during_voids(location, lambda: Serve(location, option))
