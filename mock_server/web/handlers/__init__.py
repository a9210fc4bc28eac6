"""HTTP translation only: each handler takes its inputs explicitly (the stand-in, the Call with
the organization and the body, the path and query parameters), calls the domain, and renders
the records it gets back.

Handlers are named after the operationIds of the served documents; ``web.app`` binds them.
"""
