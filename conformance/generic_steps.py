"""The generic requests (conformance.generic_requests) as steps of `compare`, one request each,
so a team sees where its deployment's routing, authentication, negotiation and parsing differ
from the stand-in's (which answers them as Django REST Framework does).

Every request that names a payment is aimed at one this run created on that deployment. A
payment serves the next request until an answer other than a 4xx refusal may have voided it;
then a fresh one is made, outside any compared step (two deployments may need different
numbers of them). Not sent: the requests DRF itself answers with a 5xx (they would provoke a
server error on a real deployment) and those the stand-in answers otherwise on purpose (a
documented choice): both differences are known. The view-only requests need a view-only token.
"""

from collections.abc import Callable
from datetime import date

from .exchanges import Recorder
from .generic_requests import GenericRequest, requests
from .provisioning import Provisioner
from .target import Target

PREFIX = "generic: "
FRESH_PAYMENT = "a fresh payment for the generic requests (not compared)"


def selected(day: date, roles: set[str]) -> list[GenericRequest]:
    """The requests compare sends, given the roles it has a token for."""
    return [
        request for request in requests(day) if not (request.clean_4xx or request.choice) and request.roles <= roles
    ]


def steps(target: Target, provisioner: Provisioner, recorder: Recorder, day: str) -> list[tuple[str, Callable]]:
    """(step name, action) for each generic request; `day` is the date to void on."""
    tokens = {"admin": target.settings.token, "view_only": target.settings.view_only_token}
    current: list[tuple[int, int]] = []

    def fresh_payment() -> tuple[int, int]:
        label, recorder.label = recorder.label, FRESH_PAYMENT
        try:
            current[:] = [provisioner.payment("manual")]
        finally:
            recorder.label = label
        return current[0]

    def send(request: GenericRequest) -> Callable:
        def act():
            pair = current[0] if current else fresh_payment()
            if pair not in provisioner.created:
                raise RuntimeError(
                    f"refusing to aim a request at invoice {pair[0]} payment {pair[1]}: not created by this run"
                )
            aimed = request.at(*pair)
            response = target.request(
                aimed.method, aimed.path, anonymous=True, headers=aimed.headers_with(tokens), content=aimed.body
            )
            if not 400 <= response.status_code < 500:
                current.clear()  # it may have voided the payment

        return act

    roles = {role for role, token in tokens.items() if token}
    return [(PREFIX + request.name, send(request)) for request in selected(date.fromisoformat(day), roles)]
