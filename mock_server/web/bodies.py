"""Request bodies read the way Django REST Framework reads them.

Connexion hands each body to these validators before the handler runs. They parse it (JSON,
form, multipart), check it against the operation's schema, and park the outcome in the
request scope instead of answering at once: the handler asks for the body (``Call.body``)
after its own look-ups, so an unknown invoice is a 404 even when the body is also wrong, as
in DRF. JSON nested deeper than ``MAX_DEPTH`` is a parse error, never a RecursionError.
Dates are read as DRF's DateField reads them (Django's parse_date) and handed on in ISO form.
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
from .errors import HttpError, PageError
from .per_object import PerObject

SCOPE_KEY = "campfire.body"
MAX_DEPTH = 32
MAX_FIELDS = 1000  # Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
_DJANGO_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")  # django.utils.dateparse.date_re

_format_checker = FormatChecker(())


def parse_date(value: str) -> date | None:
    """Django's parse_date, as DRF's DateField calls it: an ISO 8601 date Python reads (also
    `20260701`, `2026-W27-3`), or Y-M-D with one-digit months and days; None when neither."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        match = _DJANGO_DATE.match(value)
        return date(**{key: int(part) for key, part in match.groupdict().items()}) if match else None


@_format_checker.checks("date", raises=(ValueError, TypeError))
def _is_date(value) -> bool:
    return not isinstance(value, str) or parse_date(value) is not None


def _dates_in_iso_form(schema: dict, data):
    """`data` with every `format: date` string of `schema` written YYYY-MM-DD (the form the ledger reads)."""
    if schema.get("format") == "date" and isinstance(data, str):
        return parse_date(data).isoformat()
    if isinstance(data, dict):
        properties = schema.get("properties", {})
        return {key: _dates_in_iso_form(properties.get(key, {}), value) for key, value in data.items()}
    if isinstance(data, list):
        return [_dates_in_iso_form(schema.get("items", {}), item) for item in data]
    return data


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
        return {
            "integer": "A valid integer is required.",
            "number": "A valid number is required.",
            "string": "Not a valid string.",
            "boolean": "Must be a valid boolean.",
            "array": "Expected a list of items.",
            "object": "Expected a dictionary of items.",
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
            else:
                data = _dates_in_iso_form(self._schema, data)
        except (HttpError, InvalidRequest) as exc:
            problem = exc
        scope = dict(scope)
        scope["extensions"] = {**scope.get("extensions", {}), SCOPE_KEY: (data, problem)}
        if self.REPLAY_EMPTY_FORM:
            # Connexion parses every form again before the handler and fails (500) on schemas
            # without a "type"; the handler reads the scope, so it gets an empty form instead.
            headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")]
            scope["headers"] = headers + [
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"content-length", b"0"),
            ]
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


def _strict_constant(name: str):
    raise ValueError(f"Out of range float values are not JSON compliant: {name!r}")  # DRF's strict JSON


def parse_json(text: str):
    """JSON with exact decimals and no NaN or Infinity; too deep a nesting is refused like any malformed JSON."""
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=_strict_constant)
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
        if not raw:  # DRF parses no body at all; whitespace is malformed JSON
            return {}
        try:
            data = parse_json(raw.decode(self._encoding or "utf-8"))
        except (UnicodeDecodeError, LookupError, ValueError) as exc:
            raise HttpError(400, {"detail": f"JSON parse error - {exc}"}) from exc
        if data is None:
            raise InvalidRequest({"non_field_errors": ["No data provided"]})
        if not isinstance(data, dict):
            raise InvalidRequest(
                {"non_field_errors": [f"Invalid data. Expected a dictionary, but got {type(data).__name__}."]}
            )
        return data


def _too_many_fields() -> PageError:
    return PageError(400, "Bad Request (400)")


class FormBody(_FormBody):
    async def decode(self, raw: bytes, scope) -> dict:
        try:
            text = raw.decode(self._encoding or "utf-8")
        except UnicodeDecodeError:
            text = raw.decode("iso-8859-1")  # Django's QueryDict falls back to Latin-1
        try:
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
        except ValueError:
            raise _too_many_fields() from None
        return self._form_values(dict(pairs))


class MultipartBody(_FormBody):
    async def decode(self, raw: bytes, scope) -> dict:
        headers = Headers(scope=scope)
        _, options = parse_options_header(headers.get("content-type", ""))
        boundary = options.get(b"boundary")
        if not boundary:
            shown = "None" if boundary is None else boundary.decode("latin-1")
            raise HttpError(400, {"detail": f"Multipart form parse error - Invalid boundary in multipart: {shown}"})
        if raw.strip() and b"--" + boundary + b"--" not in raw:  # a truncated body is not an empty form
            raise HttpError(400, {"detail": "Multipart form parse error - the closing boundary is missing"})

        async def stream():
            yield raw

        try:
            form = await MultiPartParser(
                headers, stream(), max_fields=float("inf")
            ).parse()  # counted below, as Django counts
        except (MultiPartException, UnicodeDecodeError, ValueError) as exc:
            raise HttpError(400, {"detail": f"Multipart form parse error - {exc}"}) from exc
        if len(form.multi_items()) > MAX_FIELDS:
            raise _too_many_fields()
        fields = {key: value if isinstance(value, str) else "<file>" for key, value in form.multi_items()}
        return self._form_values(fields)


VALIDATORS = {
    "application/json": JsonBody,
    "application/x-www-form-urlencoded": FormBody,
    "multipart/form-data": MultipartBody,
}


async def unsupported(receive, scope, content_type: str):
    """A body sent as a type no parser of the operation reads: DRF's 415, parked for the handler
    like any problem of the body (no body at all is an empty one, as DRF never parses it)."""
    messages, size, more = [], 0, True
    while more:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    problem = HttpError(415, {"detail": f'Unsupported media type "{content_type}" in request.'}) if size else None
    scope = {**scope, "extensions": {**scope.get("extensions", {}), SCOPE_KEY: ({}, problem)}}

    async def replay():
        return messages.pop(0) if messages else {"type": "http.request", "body": b"", "more_body": False}

    return replay, scope


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
