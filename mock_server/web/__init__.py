"""The stand-in's web layer.

Importing Connexion 3.3 warns three times, about its own imports: Starlette 1.x's test client
prefers the ``httpx2`` package to ``httpx``, and jsonschema deprecates ``RefResolver`` and
``RefResolutionError``. Nothing a user of the stand-in can act on, and errors in a client's
``pytest -W error``: those warnings are silenced at that one import, here, before any module of
this package imports Connexion.
"""

import warnings

CONNEXION_IMPORT_WARNINGS = (
    "Using `httpx` with `starlette.testclient`",
    "jsonschema.RefResolver is deprecated",
    "jsonschema.exceptions.RefResolutionError is deprecated",
)

with warnings.catch_warnings():
    for message in CONNEXION_IMPORT_WARNINGS:
        warnings.filterwarnings("ignore", message=message)
    import connexion  # noqa: F401
