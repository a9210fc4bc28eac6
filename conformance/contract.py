"""Contract checks: every response the harness receives, validated by openapi-core against spec/.

A finding names the rule, the operation, the request and the JSON path of the violation.
Error statuses the contract does not declare (the seed documents only its 200) are held to the
DRF shape (a JSON object) instead of a schema; a 5xx is always a finding.
"""

import functools
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.templating.responses.exceptions import ResponseNotFound
from werkzeug.datastructures import Headers, ImmutableMultiDict

from mock_server import spec


@dataclass(frozen=True)
class Finding:
    rule: str
    operation: str
    request: str
    json_path: str
    message: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two findings the same: the operation, the rule and the JSON path."""
        return self.operation, self.rule, self.json_path

    def __str__(self):
        return f"[{self.rule}] {self.operation} {self.request} at {self.json_path}: {self.message}"


def clip(text: str, limit: int) -> str:
    """`text` up to `limit` characters, saying how much was left out (never cut silently)."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit} more characters)"


class _Request:
    """An httpx request seen through openapi-core's Request protocol."""

    def __init__(self, request: httpx.Request, host_url: str):
        self.host_url = host_url
        self.path = request.url.path
        self.method = request.method.lower()
        self.body = request.content or None
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(list(request.url.params.multi_items())),
            header=Headers(dict(request.headers)),
            cookie=ImmutableMultiDict(),
        )


class _Response:
    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.data = response.content
        self.content_type = response.headers.get("content-type", "")
        self.headers = Headers(dict(response.headers))


# The documents of spec/ are validated by the project's own tests; validating them again for each
# target costs seconds.
_TRUSTED = Config(spec_validator_cls=None)


def _json_path(parts) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts)


@functools.cache
def _operations(base_path: str) -> tuple:
    """(method, path regex, operationId, OpenAPI, declared statuses) of every operation of spec/,
    for targets served under `base_path`. The servers are relative, so one set of validators per
    process serves every target (building them costs seconds)."""
    operations = []
    for document in spec.DOCUMENTS:
        loaded = spec.load(document.path)
        prefix = base_path + document.prefix
        loaded["servers"] = [{"url": prefix or "/"}]
        api = OpenAPI.from_dict(loaded, config=_TRUSTED)
        for path, item in loaded["paths"].items():
            pattern = spec.path_pattern(prefix, path)
            for method, operation in item.items():
                operations.append((method, pattern, operation["operationId"], api, set(operation["responses"])))
    return tuple(operations)


class Contract:
    """The documents of spec/, for a target at `base_url`."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def operation(self, method: str, path: str):
        for op_method, pattern, operation_id, api, statuses in _operations(urlsplit(self.base_url).path):
            if op_method == method.lower() and pattern.match(path):
                return operation_id, api, statuses
        return None, None, set()

    def check(self, response: httpx.Response) -> list[Finding]:
        request = response.request
        request.read()  # a multipart body is a stream until read
        operation_id, api, statuses = self.operation(request.method, request.url.path)
        described = f"{request.method} {request.url.path}" + (
            f"?{request.url.query.decode()}" if request.url.query else ""
        )
        name = operation_id or "unknown operation"

        def finding(rule, path, message):
            return Finding(rule, name, described, path, message)

        status = response.status_code
        if status >= 500:
            return [finding("no_5xx", "$", f"answered {status}: {clip(response.text, 200)}")]
        if api is None:
            return [finding("operation_declared", "$", "no operation of spec/ matches this request")]
        if str(status) not in statuses and status >= 400:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, (dict, list)):
                return [finding("error_body", "$", f"{status} without a JSON error body (DRF shape)")]
            return []
        try:
            api.validate_response(_Request(request, self.base_url), _Response(response))
        except ResponseNotFound:
            return [finding("status_declared", "$", f"status {status} is not declared ({sorted(statuses)})")]
        except MediaTypeNotFound as exc:
            return [finding("content_type", "$", str(exc))]
        except Exception as exc:  # openapi-core wraps schema errors in several exception types
            cause = exc.__cause__
            errors = getattr(cause, "schema_errors", None)
            if not errors:
                return [finding("response_schema", "$", clip(str(cause or exc), 300))]
            found = []
            for error in errors:
                path = list(error.absolute_path)
                if error.validator == "required":
                    path.append(re.match(r"'(.*?)'", error.message).group(1))
                found.append(finding("response_schema", _json_path(path), clip(error.message, 300)))
            return found
        return []
