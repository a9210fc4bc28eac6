"""One request path, through Connexion, and nothing of ours inside Connexion: the stand-in is
started the way the pytest plugin starts it, then every class attribute and module-level
function of every loaded `connexion` module must still be Connexion's own."""

import importlib.metadata
import inspect
import sys

import httpx
from click.testing import CliRunner

from mock_server import running
from mock_server.cli import main
from mock_server.web import connexion_adapter


def _ours(value) -> bool:
    module = getattr(inspect.unwrap(value) if callable(value) else value, "__module__", None) or ""
    return module.split(".")[0] in ("mock_server", "conformance", "spec", "fixtures")


def _foreign_names() -> list[str]:
    """Every name of a connexion module, or attribute of a connexion class, bound to our code."""
    found = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("connexion") or module is None:
            continue
        for attribute, value in vars(module).items():
            if (inspect.isfunction(value) or inspect.isclass(value)) and _ours(value):
                found.append(f"{name}.{attribute}")
            if inspect.isclass(value) and value.__module__ == name:
                found += [
                    f"{name}.{value.__name__}.{member}"
                    for member, bound in vars(value).items()
                    if isinstance(bound, (property, staticmethod, classmethod))
                    and _ours(getattr(bound, "fget", None) or bound.__func__)
                    or inspect.isfunction(bound)
                    and _ours(bound)
                ]
    return found


def test_a_running_stand_in_leaves_connexion_as_it_was():
    with running(today="2026-07-15") as standin:
        paid = standin.create_payment(1, "manual", 10, payment_date="2026-07-01")
        voided = httpx.post(
            f"{standin.base_url}/coa/api/v1/invoice/1/payment/{paid['id']}/void/",
            headers={"Authorization": f"Token {standin.token()}"},
        )
        assert voided.status_code == 200, voided.text  # a request went the whole way, through every layer
    modules = [name for name in sys.modules if name.startswith("connexion.")]
    assert len(modules) > 20  # the walk below saw Connexion, loaded
    assert _foreign_names() == []


def test_the_walk_would_see_a_patch():
    """The check above can fail: a function of ours put on a Connexion class is found."""
    from connexion.middleware.routing import RoutingMiddleware

    RoutingMiddleware.campfire_probe = connexion_adapter.RoutingFromFacts.__call__
    try:
        assert _foreign_names() == ["connexion.middleware.routing.RoutingMiddleware.campfire_probe"]
    finally:
        del RoutingMiddleware.campfire_probe


def test_the_adapter_was_written_for_the_installed_connexion():
    """connexion_adapter.py holds every use of Connexion beyond its documented API: an upgrade of
    Connexion must start by reading it again, and this test says so."""
    assert importlib.metadata.version("connexion") == connexion_adapter.WRITTEN_FOR


def test_serve_has_one_request_path():
    text = CliRunner().invoke(main, ["serve", "--help"]).output
    assert "--port" in text and "lane" not in text
