"""Connexion 3, without the work it repeats on every request.

For every request Connexion 3.3 rebuilds what depends on the operation alone: the request
body's definition (a media-type table matched with fnmatch, eight times per void, logging a
warning each time for an operation with several content types), the URI parser and the
parameter validator, the handler's decorator chain (``inspect.signature``,
``functools.wraps``), and three regular-expression substitutions per argument name. Here each is built at the operation's first request and kept. What runs
per request is unchanged: the same validators check the request against the same documents.
(One function, the content-type look-up, is replaced by an equivalent without its per-call
typing overhead; tests/test_content_type.py holds it to the original.)
"""
import functools

import connexion.context
from connexion import utils
from connexion.apps.asynchronous import AsyncOperation
from connexion.decorators import StarletteDecorator, parameter
from connexion.middleware.request_validation import (RequestValidationAPI, RequestValidationMiddleware,
                                                     RequestValidationOperation)
from connexion.operations.openapi import OpenAPIOperation


def _memoized(body_definition):
    """`OpenAPIOperation.body_definition`, computed once per operation and declared media type
    (an undeclared type, which a client may vary at will, is computed and not kept)."""
    def once(self, content_type=None):
        known = self.__dict__.setdefault("_campfire_body_definitions", {})
        if content_type in known:
            return known[content_type]
        definition = body_definition(self, content_type)
        if content_type is None or content_type in self.consumes:
            known[content_type] = definition
        return definition
    once.campfire_memoized = True
    return once


class _OnceDecorator(StarletteDecorator):
    """Connexion's decorator chain around one handler, built once; the URI parser, which
    depends on the operation only, is built at the first request (the operation is a context
    variable then)."""

    def __call__(self, function):
        decorated = self.decorate(function)
        parser = None

        async def handle():
            nonlocal parser
            if parser is None:
                parser = self.uri_parser
            return await decorated(self.framework.get_request(uri_parser=parser, scope=connexion.context.scope,
                                                              receive=connexion.context.receive))
        return handle


def _decorated_once(operation: AsyncOperation):
    """`AsyncOperation.fn`: the decorated handler, kept on the operation."""
    handler = operation.__dict__.get("_campfire_decorated")
    if handler is None:
        decorator = _OnceDecorator(pythonic_params=operation.pythonic_params, jsonifier=operation.jsonifier)
        handler = operation.__dict__["_campfire_decorated"] = decorator(operation._fn)
    return handler


CONNEXION_EXTRACT_CONTENT_TYPE = utils.extract_content_type


def extract_content_type(headers) -> str | None:
    """`connexion.utils.extract_content_type` without the typing annotation it evaluates at each
    call (a third of its cost; Connexion calls it for every request and every answer)."""
    for key, value in headers.items() if isinstance(headers, dict) else headers:
        if (key.decode("latin-1") if isinstance(key, bytes) else key).lower() == "content-type":
            return value.decode("latin-1") if isinstance(value, bytes) else value
    return None


def install() -> None:
    """Make Connexion's operations keep what they would rebuild per request (idempotent)."""
    if not getattr(OpenAPIOperation.body_definition, "campfire_memoized", False):
        OpenAPIOperation.body_definition = _memoized(OpenAPIOperation.body_definition)
        AsyncOperation.fn = property(_decorated_once)
        # names come from the documents, and from clients for query parameters: a bounded cache
        parameter.sanitized = functools.lru_cache(maxsize=1024)(parameter.sanitized)
        utils.extract_content_type = extract_content_type


class ValidationOperation(RequestValidationOperation):
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
                operation.parameters, uri_parser=uri_parser, strict_validation=self.strict_validation,
                security_query_params=self.security_query_params)
        return self._parameter_validator

    def body_validator(self, mime_type: str):
        """(validator class, its arguments but the encoding) for a body of `mime_type`, or None
        when the operation has no body schema or no validator is registered for the type.
        Raises connexion's 415 for a type the operation does not declare."""
        if mime_type in self._body_validators:
            return self._body_validators[mime_type]
        self.validate_mime_type(mime_type)
        operation = self._operation
        schema = operation.body_schema(mime_type)
        validator_class = self._validator_map["body"].get(mime_type) if schema else None
        found = None if validator_class is None else (validator_class, {
            "schema": schema, "required": operation.request_body.get("required", False),
            "nullable": utils.is_nullable(operation.body_definition(mime_type)),
            "strict_validation": self.strict_validation, "uri_parser": self._parameters().uri_parser})
        if mime_type in operation.consumes:
            self._body_validators[mime_type] = found
        return found

    async def __call__(self, scope, receive, send):
        self._parameters().validate(scope)
        mime_type, encoding = self.extract_content_type(scope["headers"])
        body = self.body_validator(mime_type)
        if body is not None:
            validator_class, arguments = body
            receive, scope = await validator_class(encoding=encoding, **arguments).wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class _ValidationAPI(RequestValidationAPI):
    def make_operation(self, operation) -> ValidationOperation:
        return ValidationOperation(self.next_app, operation=operation, strict_validation=self.strict_validation,
                                    validator_map=self.validator_map)


class RequestValidation(RequestValidationMiddleware):
    """Connexion's RequestValidationMiddleware, each operation's validators built once."""

    api_cls = _ValidationAPI
