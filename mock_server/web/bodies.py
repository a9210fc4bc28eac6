"""Request bodies read the way Django REST Framework reads them.

Connexion hands each body to these validators before the handler runs. They parse it (JSON,
form, multipart), check it against the operation's schema, and park the outcome in the
request scope instead of answering at once: the handler asks for the body (``Call.body``)
after its own look-ups, so an unknown invoice is a 404 even when the body is also wrong, as
in DRF. JSON nested deeper than ``MAX_DEPTH`` is a parse error, never a RecursionError.
"""
import json
import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl

from connexion.validators import AbstractRequestBodyValidator
from jsonschema import FormatChecker
from jsonschema.validators import extend
from openapi_schema_validator import OAS30WriteValidator
from python_multipart.multipart import parse_options_header
from starlette.datastructures import Headers
from starlette.formparsers import MultiPartException, MultiPartParser

from ..domain.errors import DATE_MESSAGE, InvalidRequest
from .errors import HttpError
from .per_object import PerObject

SCOPE_KEY = "campfire.body"
MAX_DEPTH = 32
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_format_checker = FormatChecker(())


@_format_checker.checks("date", raises=ValueError)
def _is_date(value) -> bool:
    """RFC 3339 full-date, the only form the contract documents."""
    if not isinstance(value, str):
        return True
    return bool(_DATE.match(value)) and bool(date.fromisoformat(value))


# DRF ignores read-only fields sent by a client instead of refusing them.
_RequestValidator = extend(OAS30WriteValidator, {"readOnly": lambda *args: iter(())})


def _message(error) -> str:
    if error.schema.get("format") == "date" and error.validator in ("format", "type"):
        return DATE_MESSAGE
    if error.validator == "required":
        return "This field is required."
    if error.validator == "type" and error.instance is None:
        return "This field may not be null."
    if error.validator == "type":
        return {"integer": "A valid integer is required.", "number": "A valid number is required.",
                "string": "Not a valid string.", "boolean": "Must be a valid boolean.",
                "array": "Expected a list of items.", "object": "Expected a dictionary of items."
                }.get(error.validator_value, error.message)
    return error.message


_validator = PerObject(lambda schema: _RequestValidator(schema, format_checker=_format_checker))  # once per schema


def drf_errors(schema: dict, body) -> dict:
    """Every schema violation of `body`, as DRF's {field: [messages]} (nested by path)."""
    problems: dict = {}
    for error in _validator(schema).iter_errors(body):
        path = list(error.absolute_path)
        if error.validator == "required":
            path.append(re.match(r"'(.*?)'", error.message).group(1))
        node = problems
        keys = [str(part) for part in path] or ["non_field_errors"]
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            node.setdefault(keys[-1], []).append(_message(error))
    return problems


class _DrfBody(AbstractRequestBodyValidator):
    """Parse (``decode`` in each subclass) and check a body, then park (data, problem) in the scope."""

    REPLAY_EMPTY_FORM = False

    async def wrap_receive(self, receive, *, scope):
        messages, chunks = [], []
        more = True
        while more:
            message = await receive()
            messages.append(message)
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        data, problem = None, None
        try:
            data = await self.decode(b"".join(chunks), scope)
            found = drf_errors(self._schema, data)
            if found:
                problem = InvalidRequest(found)
        except (HttpError, InvalidRequest) as exc:
            problem = exc
        scope = dict(scope)
        scope["extensions"] = {**scope.get("extensions", {}), SCOPE_KEY: (data, problem)}
        if self.REPLAY_EMPTY_FORM:
            # Connexion parses every form again before the handler and fails (500) on schemas
            # without a "type"; the handler reads the scope, so it gets an empty form instead.
            headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")]
            scope["headers"] = headers + [(b"content-type", b"application/x-www-form-urlencoded"), (b"content-length", b"0")]
            messages = [{"type": "http.request", "body": b"", "more_body": False}]
        return self._insert_messages(receive, messages=messages), scope

    def _form_values(self, fields: dict) -> dict:
        """Form strings as DRF's fields read them: an empty value of a nullable field is null,
        numbers and booleans are parsed, and a JSON part stands for a list or an object."""
        properties = self._schema.get("properties", {})
        return {key: _form_value(value, properties.get(key, {})) for key, value in fields.items()}


_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True, "false": False, "0": False, "no": False, "off": False}


def _form_value(value: str, schema: dict):
    if value == "" and schema.get("nullable"):
        return None
    kind = schema.get("type")
    try:
        if kind == "integer" and re.fullmatch(r"-?\d+", value):
            return int(value)
        if kind == "number":
            number = Decimal(value)
            return number if number.is_finite() else value
        if kind == "boolean" and value.lower() in _BOOLEANS:
            return _BOOLEANS[value.lower()]
        if kind in ("array", "object"):
            return parse_json(value)
    except (ArithmeticError, ValueError, HttpError):
        return value
    return value


def _depth(value, limit: int) -> int:
    """How deep `value` nests, counted no further than `limit` + 1."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


def parse_json(text: str):
    """JSON with exact decimals; too deep a nesting is refused like any malformed JSON."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except RecursionError:
        data = None
        depth_exceeded = True
    else:
        depth_exceeded = _depth(data, MAX_DEPTH) > MAX_DEPTH
    if depth_exceeded:
        raise HttpError(400, {"detail": f"JSON parse error - nesting deeper than {MAX_DEPTH} levels"})
    return data


class _FormBody(_DrfBody):
    REPLAY_EMPTY_FORM = True


class JsonBody(_DrfBody):
    async def decode(self, raw: bytes, scope) -> dict:
        if not raw.strip():
            return {}
        try:
            data = parse_json(raw.decode(self._encoding or "utf-8"))
        except (UnicodeDecodeError, LookupError, ValueError) as exc:
            raise HttpError(400, {"detail": f"JSON parse error - {exc}"}) from exc
        if data is None:
            raise InvalidRequest({"non_field_errors": ["No data provided"]})
        if not isinstance(data, dict):
            raise InvalidRequest({"non_field_errors": [
                f"Invalid data. Expected a dictionary, but got {type(data).__name__}."]})
        return data


class FormBody(_FormBody):
    async def decode(self, raw: bytes, scope) -> dict:
        try:
            pairs = parse_qsl(raw.decode(self._encoding or "utf-8"), keep_blank_values=True)
        except (UnicodeDecodeError, LookupError) as exc:
            raise HttpError(400, {"detail": f"Form parse error - {exc}"}) from exc
        return self._form_values(dict(pairs))


class MultipartBody(_FormBody):
    async def decode(self, raw: bytes, scope) -> dict:
        headers = Headers(scope=scope)
        _, options = parse_options_header(headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        if not boundary:
            raise HttpError(400, {"detail": "Multipart form parse error - Invalid boundary in multipart: None"})
        if raw.strip() and b"--" + boundary + b"--" not in raw:  # a truncated body is not an empty form
            raise HttpError(400, {"detail": "Multipart form parse error - the closing boundary is missing"})

        async def stream():
            yield raw

        try:
            form = await MultiPartParser(headers, stream()).parse()
        except (MultiPartException, UnicodeDecodeError, ValueError) as exc:
            raise HttpError(400, {"detail": f"Multipart form parse error - {exc}"}) from exc
        fields = {key: value if isinstance(value, str) else "<file>" for key, value in form.multi_items()}
        return self._form_values(fields)


VALIDATORS = {
    "application/json": JsonBody,
    "application/x-www-form-urlencoded": FormBody,
    "multipart/form-data": MultipartBody,
}



def as_sent(scope) -> dict:
    """The body as the client sent it, valid or not (what makes two requests the same)."""
    data, problem = scope.get("extensions", {}).get(SCOPE_KEY, ({}, None))
    if problem is None:
        return data or {}
    return {"malformed": problem.problems if isinstance(problem, InvalidRequest) else problem.body}


def parsed(scope) -> dict:
    """The request's parsed body; raises its 400 if it was invalid."""
    data, problem = scope.get("extensions", {}).get(SCOPE_KEY, ({}, None))
    if problem is not None:
        raise problem
    return data if data is not None else {}
