"""A target that behaves like Stoplight Prism mocking spec/: stateless, it answers every operation
of the seed and companion documents with an example built from the operation's success schema
(200, or 201 for create), to any token; without a token, 401. Nothing is stored, so every
semantic check that needs state fails, while every answer is schema-valid: the harness must not
raise a contract alarm on them. `plant` puts contract violations into one operation's answer.
"""

import json
import re

import yaml
from hypothesis import find, strategies

from mock_server import spec

DATE, DATE_TIME = "2019-08-24", "2019-08-24T14:15:22Z"
STRINGS = {
    "date": DATE,
    "date-time": DATE_TIME,
    "uuid": "095be615-a8ad-4c33-8e9c-c7612fbf6c9f",
    "email": "user@example.com",
    "uri": "http://example.com",
}


class Examples:
    """Schema-valid example values for the schemas of one document, the way a mock server
    samples them: the first enum value, the first oneOf branch, every property, bounds kept."""

    def __init__(self, document: dict):
        self.schemas = document.get("components", {}).get("schemas", {})

    def of(self, schema: dict):
        if "$ref" in schema:
            return self.of(self.schemas[schema["$ref"].split("/")[-1]])
        if "allOf" in schema:
            return self.of({key: value for part in schema["allOf"] for key, value in self._resolved(part).items()})
        if "oneOf" in schema:
            return self.of(schema["oneOf"][0])
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type", "object" if "properties" in schema else None)
        if kind == "object":
            return {
                name: self.of(sub) for name, sub in schema.get("properties", {}).items() if not sub.get("writeOnly")
            }
        if kind == "array":
            return [self.of(schema.get("items", {}))]
        if kind in ("integer", "number"):
            return _number(schema)
        if kind == "boolean":
            return True
        if kind == "string":
            return _string(schema)
        return {}

    def _resolved(self, schema: dict) -> dict:
        return self.schemas[schema["$ref"].split("/")[-1]] if "$ref" in schema else schema


def _number(schema: dict):
    value = 0
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and (value < low or (value == low and schema.get("exclusiveMinimum"))):
        value = low + 1
    if high is not None and (value > high or (value == high and schema.get("exclusiveMaximum"))):
        value = high - 1
    return value if schema.get("type") == "integer" else float(value)


def _string(schema: dict) -> str:
    if schema.get("pattern"):
        return find(strategies.from_regex(schema["pattern"], fullmatch=True), lambda value: True)
    value = STRINGS.get(schema.get("format"), "string")
    return value[: schema["maxLength"]] if "maxLength" in schema else value


def _operations():
    """(method, path regex, operationId, status, example body) for every operation."""
    operations = []
    for document in (spec.VOID, spec.COMPANION):
        loaded = yaml.safe_load(document.read_text())
        examples = Examples(loaded)
        for path, item in loaded["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", path) + "$")
            for method, operation in item.items():
                status = min(code for code in operation["responses"] if code.startswith("2"))
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                operations.append((method.upper(), pattern, operation["operationId"], int(status), examples.of(schema)))
    return operations


OPERATIONS = _operations()


class PrismLike:
    """ASGI app. `plant`: {operationId: {field: value}} merged into that operation's answer."""

    def __init__(self, plant: dict | None = None):
        self.plant = plant or {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        more = True
        while more:
            more = (await receive()).get("more_body", False)
        headers = dict(scope["headers"])
        status, body = self.answer(scope["method"], scope["path"], b"authorization" in headers)
        payload = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def answer(self, method: str, path: str, has_token: bool):
        for op_method, pattern, operation_id, status, example in OPERATIONS:
            if op_method == method and pattern.match(path):
                if not has_token:
                    return 401, {"detail": "Authentication credentials were not provided."}
                body = example
                if operation_id in self.plant:
                    body = {**example, **self.plant[operation_id]}
                return status, body
        return 404, {"detail": "Not found."}
