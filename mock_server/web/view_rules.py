"""What Django REST Framework's `APIView.dispatch` decides before a handler runs, in its order:
authentication, then permissions, then the method (so a GET without a token is a 401, not a
405). Each refusal is an HttpError, answered in DRF's shape by Connexion's exception handling.
"""
from . import auth, facts
from .errors import HttpError


class ViewRules:
    """ASGI, before Connexion's routing: the rules of the view a request's path matched (paths
    no document serves pass on, to the documents' pages or a 404)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        request = facts.of(scope) if scope["type"] == "http" else None
        if request is not None and request.view is not None:
            auth.authorize(request.grant, request.method)
            if request.operation is None:
                raise HttpError(405, {"detail": f'Method "{request.method}" not allowed.'},
                                {"Allow": ", ".join(request.view.allowed)})
        await self.app(scope, receive, send)
