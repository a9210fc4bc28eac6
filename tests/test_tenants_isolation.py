"""One tenant cannot stop or slow another (issue 25): the crash rehearsal belongs to the server's
admin, a slow Stripe (a `timeout` fault, the latency setting) is waited for outside the write
lock, and a reset costs the sandbox's own size. Over HTTP, on SQLite here and on PostgreSQL in
test_tenants_postgres.py (the checks are written once, against a base URL)."""

from support.tenants import (  # noqa: F401 (server, tenants: fixtures)
    admin,
    check_a_reset_costs_the_sandboxs_size,
    check_crash_is_the_servers_own,
    check_resets_elsewhere_do_not_slow_a_void,
    check_stripe_latency_is_the_sandboxs_own,
    check_stripe_timeouts_elsewhere_do_not_slow_a_void,
    server,
    tenants,
)


def test_a_sandbox_admin_cannot_queue_the_crash_rehearsal(tenants):
    check_crash_is_the_servers_own(tenants)


def test_stripe_timeouts_in_one_sandbox_leave_another_sandboxs_voids_at_their_pace(tenants):
    check_stripe_timeouts_elsewhere_do_not_slow_a_void(tenants)


def test_the_stripe_latency_setting_slows_only_its_own_sandbox(tenants):
    check_stripe_latency_is_the_sandboxs_own(tenants)


def test_a_sandbox_resetting_in_a_loop_leaves_another_sandboxs_voids_at_their_pace(tenants):
    check_resets_elsewhere_do_not_slow_a_void(tenants)


def test_a_reset_with_100_other_sandboxes_takes_under_half_a_second(tenants):
    check_a_reset_costs_the_sandboxs_size(tenants)
