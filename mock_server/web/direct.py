"""The void (and the read of one invoice) served without Connexion's per-request machinery,
under the same rules.

Connexion spends most of a void's CPU before and after the handler: two routers that try each
path template in turn, the security and validation middlewares each looking the operation up
again, the parameter decorators. This middleware sits inside Connexion's exception handling (so
Connexion's error handlers answer whatever it raises) and takes only the requests whose way
through Connexion it knows from their head alone:

- the operation's method, on its path with canonical decimal ids, without a query string;
- a token that Connexion's security would accept (the same check, ``auth.user_token_info``);
- a content type for which Connexion's validator map names a body validator or, for an
  operation without a body, no body at all.

For those it does what Connexion does, with the same pieces built from the same operation of
the same document: the path parameters checked by ``parameters.check``, the body read by the
validator Connexion's validator map names for its type (which parks its problems for the
handler), the same handler, the answer built by Connexion's own response builder and, when the
app validates responses, checked by Connexion's response validation. Every other request goes to Connexion
untouched, so each refusal is Connexion's. tests/test_connexion_once.py sends the hostile
corpus and the void scenarios to a stand-in with this lane and to one without, and requires
the same answers.
"""
import re

import connexion.context
from connexion.decorators.parameter import pythonic, sanitized
from connexion.decorators.response import AsyncResponseDecorator
from connexion.exceptions import UnsupportedMediaTypeProblem
from connexion.frameworks.starlette import Starlette
from connexion.http_facts import METHODS
from connexion.middleware.abstract import SpecMiddleware
from connexion.middleware.response_validation import ResponseValidationOperation
from starlette.datastructures import URL, Headers

from . import auth, parameters
from .call import Call
from .connexion_once import ValidationOperation
from .errors import HttpError

# An id as Python prints it, below 2**63: what Connexion would read as the same integer.
_CANONICAL_ID = "(0|[1-9][0-9]{0,17})"


class _Route:
    """One operation served directly: its path parameters, its token header, Connexion's request
    validation of it (for the content type and the body validator it would pick), its handler,
    its response builder and, when the app validates responses, Connexion's validator map for them."""

    def __init__(self, operation, runner, validation: ValidationOperation, response_validator_map: dict | None,
                 jsonifier, argument_name):
        self.operation = operation
        self.runner = runner
        self.path_parameters = {argument_name(param["name"]): param for param in operation.parameters}
        self.token_header = _token_header(operation)
        self.validation = validation
        self.respond = AsyncResponseDecorator(framework=Starlette, jsonifier=jsonifier)
        self.response_validator_map = response_validator_map

    def pattern(self, base_path: str) -> re.Pattern:
        template = re.escape(base_path + self.operation.path)
        for name, param in self.path_parameters.items():
            template = template.replace(re.escape("{" + param["name"] + "}"), f"(?P<{name}>{_CANONICAL_ID})")
        return re.compile(template)  # fullmatch'ed: "$" would also match before a final newline

    def body_reader(self, scope):
        """How Connexion would read this request's body: with the validator its validator map
        names for the content type (which parks what it finds for the handler); for an operation
        without a body, not at all, if the request sends none. None for any other request."""
        if not self.operation.request_body:
            headers = Headers(scope=scope)
            sends_none = (headers.get("content-length", "0") == "0" and "content-type" not in headers
                          and "transfer-encoding" not in headers)
            return _nothing_to_read if sends_none else None
        mime_type, encoding = self.validation.extract_content_type(scope["headers"])
        try:
            found = self.validation.body_validator(mime_type)
        except UnsupportedMediaTypeProblem:
            return None
        if found is None:
            return None
        validator_class, arguments = found
        return validator_class(encoding=encoding, **arguments).wrap_receive

    async def __call__(self, scope, receive, send, arguments: dict, token: dict, body_reader) -> None:
        for name, value in arguments.items():
            parameters.check(self.path_parameters[name], value)
        receive, scope = await body_reader(receive, scope=scope)
        call = Call(organization_id=token.get("organization_id"), sandbox_id=token.get("sandbox_id"),
                    url=URL(scope=scope), headers=Headers(scope=scope), method=scope["method"], scope=scope)
        answer = await self.runner(call, **arguments)
        connexion.context._operation.set(self.operation)  # what Connexion's response builder reads
        response = self.respond.build_framework_response(answer)
        if self.response_validator_map is not None:
            response = ResponseValidationOperation(response, operation=self.operation,
                                                   validator_map=self.response_validator_map)
        await response(scope, receive, send)


async def _nothing_to_read(receive, *, scope):
    return receive, scope


def _token_header(operation) -> str | None:
    """The header of the operation's one apiKey scheme of API tokens (the check the lane shares
    with Connexion's security); None when its security is anything else."""
    requirements = operation.security
    if len(requirements) != 1 or len(requirements[0]) != 1:
        return None
    scheme = operation.security_schemes.get(next(iter(requirements[0])), {})
    header = scheme.get("name") if scheme.get("type") == "apiKey" and scheme.get("in") == "header" else None
    return None if header == auth.ADMIN_SCHEME_HEADER else header


def _servable(operation) -> bool:
    """Security the lane checks as Connexion does, and integer path parameters only."""
    return bool(_token_header(operation)) and all(
        param["in"] == "path" and param.get("schema", {}).get("type") == "integer" for param in operation.parameters)


class DirectLane(SpecMiddleware):
    """ASGI, just inside Connexion's exception handling: serves the operations of `runners`
    ({operationId: async (call, **path parameters) -> answer}) directly when it can, and passes
    every other request on. `tokens` is the token cache Connexion's security uses; `jsonifier`
    the app's."""

    def __init__(self, app, *, runners: dict, tokens, jsonifier):
        self.app = app
        self.runners, self.tokens, self.jsonifier = runners, tokens, jsonifier
        self.routes: list[tuple[str, re.Pattern, _Route]] = []

    def add_api(self, specification, *, base_path=None, resolver=None, uri_parser_class=None, validator_map=None,
                validate_responses=False, strict_validation=False, pythonic_params=False, **kwargs) -> None:
        """Connexion registers each document here too, with the options its add_api was given;
        keep the operations of `runners` whose parameters are all integer path parameters and
        whose security is one apiKey header."""
        for path, methods in specification.get("paths", {}).items():
            for method in methods:
                operation_id = methods[method].get("operationId") if method in METHODS else None
                if operation_id not in self.runners:
                    continue
                operation = specification.operation_cls.from_spec(
                    specification, path=path, method=method, resolver=resolver, uri_parser_class=uri_parser_class)
                if not _servable(operation):
                    continue
                validation = ValidationOperation(self.app, operation=operation, strict_validation=strict_validation,
                                                 validator_map=validator_map)
                route = _Route(operation, self.runners[operation_id], validation,
                               validator_map if validate_responses else None, self.jsonifier,
                               pythonic if pythonic_params else sanitized)
                served_at = specification.base_path if base_path is None else base_path  # as Connexion mounts it
                self.routes.append((method.upper(), route.pattern(served_at), route))

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and not scope["query_string"]:
            for method, pattern, route in self.routes:
                match = pattern.fullmatch(scope["path"]) if method == scope["method"] else None
                if match is not None:
                    token = await self._token(route, scope)
                    body_reader = route.body_reader(scope) if token is not None else None
                    if body_reader is not None:
                        arguments = {name: int(value) for name, value in match.groupdict().items()}
                        return await route(scope, receive, send, arguments, token, body_reader)
        await self.app(scope, receive, send)

    async def _token(self, route: _Route, scope) -> dict | None:
        """The token's grant when Connexion's security would let the request through, else None."""
        try:
            header = Headers(scope=scope).get(route.token_header)
            return await auth.user_token_info(self.tokens, scope["method"], header)
        except HttpError:
            return None
