"""The server's admin token, one per database: every server on a database answers the same one.

The first server on a database stores its token (given with --admin-token, or random) in the
ledger's settings; a server started later without --admin-token takes the stored one, so a team
running two servers behind a load balancer has one admin token to keep. A server started with
--admin-token stores that one (the owner's choice), and says so when it replaces another.
"""

import secrets

SETTING = "admin_token"


def shared(ledger, given: str | None) -> tuple[str, bool]:
    """(the admin token of the servers on `ledger`, whether `given` replaced a stored other one)."""
    with ledger.write() as store:
        stored = store.setting(SETTING)
        token = given or stored or "admin_" + secrets.token_hex(12)
        if token != stored:
            store.set_setting(SETTING, token)
    return token, bool(given and stored and given != stored)
