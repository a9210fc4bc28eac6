"""HTTP translation only: each handler reads the request, calls the ledger rules, renders rows.

Handlers are named after the operationIds of the served documents and take the mock's state
as their first argument (bound by the resolver in ``mock_server.app``).
"""
