"""Query, path and header parameters: checked the way DRF's filters answer them
(`{"limit": ["A valid integer is required."]}` rather than jsonschema's internals), then
handed to the handler as the values their schemas declare.

Each parameter's validator is built once (connexion builds one, after a deepcopy of the
parameter's schema, for every parameter of every request).
"""

from decimal import Decimal

from connexion.validators.parameter import ParameterValidator
from jsonschema import Draft4Validator
from starlette.datastructures import QueryParams

from .errors import HttpError
from .per_object import PerObject

_TYPE_MESSAGES = {
    "integer": "A valid integer is required.",
    "number": "A valid number is required.",
    "boolean": "Must be a valid boolean.",
    "string": "Not a valid string.",
}
_validator = PerObject(
    lambda param: Draft4Validator(param.get("schema", param), format_checker=Draft4Validator.FORMAT_CHECKER)
)


def _message(error) -> str:
    if error.validator == "type":
        return _TYPE_MESSAGES.get(error.validator_value, "Invalid value.")
    if error.validator == "enum":
        return f'"{error.instance}" is not a valid choice.'
    return error.message.split("\n")[0]


def check(param: dict, value) -> None:
    """Raise DRF's 400 when `value` (None: absent) does not satisfy the parameter `param`."""
    if value is None:
        if param.get("required"):
            raise HttpError(400, {param["name"]: ["This field is required."]})
        return
    error = next(_validator(param).iter_errors(value), None)
    if error is not None:
        raise HttpError(400, {param["name"]: [_message(error)]})


PAGINATION = ("limit", "offset")  # DRF's LimitOffsetPagination never refuses them (pagination.bounds)


class DrfParameters(ParameterValidator):
    def validate_request(self, request):
        for where, read in (
            ("query", request.query_params.get),
            ("path", request.path_params.get),
            ("header", request.headers.get),
        ):
            for param in self.parameters.get(where, []):
                if not (where == "query" and param["name"] in PAGINATION):
                    check(param, read(param["name"].replace("-", "_") if where == "path" else param["name"]))


_CONVERT = {"integer": int, "number": Decimal, "boolean": lambda text: text.lower() == "true"}


def arguments(declared, scope) -> dict:
    """The handler's arguments: the path parameters Connexion's routing converted, and the query
    parameters present, as their declared types (Connexion's validation has checked them)."""
    path, query = scope.get("path_params", {}), QueryParams(scope["query_string"])
    found = {}
    for param in declared:
        if param.where == "path":
            found[param.name] = path[param.name]
        elif param.where == "query" and param.name in query:
            try:
                found[param.name] = _CONVERT.get(param.type, str)(query[param.name])
            except (ArithmeticError, ValueError):  # a pagination parameter, which DRF reads as absent
                found[param.name] = None
    return found
