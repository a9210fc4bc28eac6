"""What two deployments' answers to the same request differ in, ignoring what must differ.

Compared: the status code, the media type, the headers a client acts on (those given with each
answer: WWW-Authenticate, Allow, Location), the response's shape (which fields are present, the
JSON type of each, whether it is null), the values of fields the contract declares as enums
(outside lists, whose content depends on each deployment's data), and the wording of errors.
Never compared: ids, amounts and other numbers, dates and timestamps, free text of successful
answers: they differ between two deployments by nature.
"""

import re
from dataclasses import dataclass
from functools import cache

from mock_server import spec

KINDS = {
    type(None): "null",
    bool: "boolean",
    int: "number",
    float: "number",
    str: "string",
    dict: "object",
    list: "array",
}


@dataclass(frozen=True)
class Difference:
    step: str
    operation: str
    rule: str  # status_code, content_type, header, field_missing, field_added, type, nullability, enum_value, error_wording
    json_path: str  # in the body; "header:<name>" (lower case) for a header
    message: str

    def __str__(self):
        return f"[{self.rule}] {self.step}: {self.operation} at {self.json_path}: {self.message}"


@cache
def enum_fields() -> frozenset[str]:
    """Names of the properties whose schema (directly or through $ref/oneOf/allOf) is an enum."""
    names = set()
    for document in (spec.VOID, spec.COMPANION):
        loaded = spec.parsed(document)
        schemas = loaded["components"]["schemas"]

        def is_enum(schema) -> bool:
            if not isinstance(schema, dict):
                return False
            if "$ref" in schema:
                return is_enum(schemas.get(schema["$ref"].split("/")[-1]))  # noqa: B023 (called in this iteration)
            if [value for value in schema.get("enum", []) if value not in (None, "")]:
                return True
            return any(is_enum(part) for key in ("oneOf", "allOf", "anyOf") for part in schema.get(key, []))

        def walk(node):
            if isinstance(node, dict):
                names.update(name for name, schema in (node.get("properties") or {}).items() if is_enum(schema))
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(loaded)
    return frozenset(names)


def facts(body) -> tuple[dict[str, set], set[str], dict[str, object]]:
    """(JSON path -> kinds seen there, paths of empty arrays, path -> scalar value) of a JSON body;
    array items share the path `[*]`."""
    kinds, empty, values = {}, set(), {}

    def walk(value, path):
        kinds.setdefault(path, set()).add(KINDS.get(type(value), "string"))
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            if not value:
                empty.add(path)
            for item in value:
                walk(item, f"{path}[*]")
        else:
            values[path] = value

    walk(body, "$")
    return kinds, empty, values


def _under_empty_array(path: str, empty: set[str]) -> bool:
    """The path is an item field of an array that the other side answered empty (nothing to compare)."""
    return any(path.startswith(array + "[*]") for array in empty)


def _wording(text) -> str:
    return re.sub(r"\d+", "N", str(text))


def differences(step: str, operation: str, base: dict, against: dict, names=("base", "against")) -> list[Difference]:
    """The differences between two answers: dicts with status, content_type, body (JSON or None) and,
    optionally, headers (lower-case names)."""
    a, b = names

    def difference(rule, path, message):
        return Difference(step, operation, rule, path, message)

    if base["status"] != against["status"]:
        return [difference("status_code", "$", f"{a} answered {base['status']}, {b} {against['status']}")]
    found = []
    media = [answer["content_type"].split(";")[0].strip() for answer in (base, against)]
    if media[0] != media[1]:
        found.append(
            difference("content_type", "$", f"{a} answered {media[0] or 'no content type'}, {b} {media[1] or 'none'}")
        )
    headers = base.get("headers", {}), against.get("headers", {})
    for name in sorted(headers[0].keys() | headers[1].keys()):
        if _wording(headers[0].get(name)) != _wording(headers[1].get(name)):  # ids in a Location differ by nature
            sent = [repr(side[name]) if name in side else "none" for side in headers]
            found.append(difference("header", f"header:{name}", f"{a} sent {sent[0]}, {b} {sent[1]}"))
    (kinds_a, empty_a, values_a), (kinds_b, empty_b, values_b) = facts(base["body"]), facts(against["body"])
    is_error = base["status"] >= 400
    for path in sorted(kinds_a.keys() | kinds_b.keys()):
        if path not in kinds_b:
            if not _under_empty_array(path, empty_b):
                found.append(difference("field_missing", path, f"present in {a}'s answer, missing in {b}'s"))
            continue
        if path not in kinds_a:
            if not _under_empty_array(path, empty_a):
                found.append(difference("field_added", path, f"missing in {a}'s answer, present in {b}'s"))
            continue
        if kinds_a[path] != kinds_b[path]:
            values = kinds_a[path] - {"null"}, kinds_b[path] - {"null"}
            rule = "nullability" if values[0] == values[1] or not all(values) else "type"  # null on one side only
            found.append(
                difference(
                    rule,
                    path,
                    f"{' or '.join(sorted(kinds_a[path]))} in {a}, {' or '.join(sorted(kinds_b[path]))} in {b}",
                )
            )
            continue
        if path not in values_a or path not in values_b:
            continue
        field = path.rsplit(".", 1)[-1]
        if is_error and isinstance(values_a[path], str) and _wording(values_a[path]) != _wording(values_b[path]):
            found.append(difference("error_wording", path, f"{a}: {values_a[path]!r}; {b}: {values_b[path]!r}"))
        elif field in enum_fields() and "[*]" not in path and values_a[path] != values_b[path]:
            found.append(difference("enum_value", path, f"{values_a[path]!r} in {a}, {values_b[path]!r} in {b}"))
    return found
