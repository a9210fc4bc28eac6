"""Every use of a Connexion name outside its documented API, in one place.

Written for Connexion 3.3.0 (``WRITTEN_FOR``); tests/test_connexion_adapter.py fails on any other
version, so an upgrade starts by reading this module again. Nothing here changes Connexion's own
classes or functions: the request validation below is a subclass, installed in our own app's
middleware list.

- ``RoutingFromFacts``: in the place of Connexion's routing, which would match every request
  against every path again, the operation the stand-in matched once (facts.py), put where
  Connexion's validation looks for it (its routing context in the ASGI scope, the path
  parameters).
- ``RequestValidation``: Connexion's request validation middleware whose per-operation pieces
  (the parameter validator and each declared media type's body validator) are built at the
  operation's first request and kept; Connexion 3.3 rebuilds them for every request. What runs
  per request: the same validators check the request against the same documents; which of the
  operation's body types reads a body is chosen as DRF's parser negotiation chooses it.
"""

from connexion import utils
from connexion.middleware.abstract import ROUTING_CONTEXT
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from starlette.datastructures import Headers

from . import bodies, facts, negotiation

WRITTEN_FOR = "3.3.0"


class RoutingFromFacts:
    """ASGI, where Connexion's RoutingMiddleware would be: the request's operation and path
    parameters, from its facts, in Connexion's routing context."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        request = facts.of(scope) if scope["type"] == "http" else None
        if request is not None and request.operation is not None:
            scope.setdefault("extensions", {})[ROUTING_CONTEXT] = {
                "api_base_path": request.view.base_path,
                "operation_id": request.operation.id,
            }
            scope["path_params"] = request.view.arguments(request.path)
        await self.app(scope, receive, send)


class _ValidationOperation(RequestValidationOperation):
    """Connexion's request validation of one operation, its validators built once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._parameter_validator = None
        self._body_validators: dict[str, tuple | None] = {}  # declared media type -> (class, arguments)

    def _parameters(self):
        if self._parameter_validator is None:
            operation = self._operation
            uri_parser = operation._uri_parser_class(operation.parameters, operation.body_definition())
            self._parameter_validator = self._validator_map["parameter"](
                operation.parameters,
                uri_parser=uri_parser,
                strict_validation=self.strict_validation,
                security_query_params=self.security_query_params,
            )
        return self._parameter_validator

    def _body_validator(self, mime_type: str):
        """(validator class, its arguments but the encoding) for a body of the declared
        `mime_type`, or None when the operation has no body schema or no validator for it."""
        if mime_type in self._body_validators:
            return self._body_validators[mime_type]
        operation = self._operation
        schema = operation.body_schema(mime_type)
        validator_class = self._validator_map["body"].get(mime_type) if schema else None
        found = (
            None
            if validator_class is None
            else (
                validator_class,
                {
                    "schema": schema,
                    "required": operation.request_body.get("required", False),
                    "nullable": utils.is_nullable(operation.body_definition(mime_type)),
                    "strict_validation": self.strict_validation,
                    "uri_parser": self._parameters().uri_parser,
                },
            )
        )
        self._body_validators[mime_type] = found
        return found

    async def __call__(self, scope, receive, send):
        self._parameters().validate(scope)
        if self._operation.request_body:
            content_type = Headers(scope=scope).get("content-type", "")
            declared = negotiation.parser_for(content_type, tuple(self._operation.consumes))
            body = self._body_validator(declared) if declared else None
            if declared is None:
                receive, scope = await bodies.unsupported(receive, scope, content_type)
            elif body is not None:
                validator_class, arguments = body
                receive, scope = await validator_class(
                    encoding=negotiation.charset(content_type), **arguments
                ).wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _ValidationAPI(RequestValidationAPI):
    def make_operation(self, operation) -> _ValidationOperation:
        return _ValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class RequestValidation(RequestValidationMiddleware):
    """Connexion's RequestValidationMiddleware, each operation's validators built once."""

    api_cls = _ValidationAPI
