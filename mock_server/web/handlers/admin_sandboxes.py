"""Admin API: sandboxes (/_mock/sandboxes); their life cycle is in mock_server/sandboxes.py."""

from ... import sandboxes
from ...domain.errors import NotFound
from ..errors import HttpError


def _server(standin):
    return standin.root or standin


def mock_create_sandbox(standin, call):
    if standin.sandbox_id is not None:
        raise HttpError(403, {"detail": "A sandbox's admin token cannot create sandboxes; use the server's."})
    try:
        return sandboxes.create(standin, call.body()), 201
    except sandboxes.TooManySandboxes as exc:
        raise HttpError(429, {"detail": str(exc), "max_sandboxes": exc.limit}) from None


def mock_list_sandboxes(standin, call):
    return sandboxes.listing(_server(standin), standin.sandbox_id)


def mock_delete_sandbox(standin, call, id):
    mine = standin.sandbox_id in (None, id)
    if not (mine and sandboxes.SANDBOX_ID.fullmatch(id) and sandboxes.delete(_server(standin), id)):
        raise NotFound()
    return None, 204
