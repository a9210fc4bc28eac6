"""The bottom of the stack: the handler of the operation Connexion routed to, in a thread.

Connexion (around this app, as its middleware) has matched the operation, and checked its
parameters and body against the documents; the view's rules have checked the credentials. What
is left is HTTP translation: the handler's arguments from the path and query, its answer as a
JSON response.
"""

import asyncio
import inspect
import os
from concurrent.futures import ThreadPoolExecutor

from connexion.jsonifier import Jsonifier
from starlette.responses import Response
from starlette.routing import Router

from . import auth, facts, in_flight, parameters, views
from .call import Call

# Handlers block on the ledger, so they run off the event loop, in threads of their own. Reads
# have a pool of their own, one thread per core: they never queue behind writes, and more reads
# at once than cores only fight over the GIL. Writes keep many threads: most of them wait on
# the ledger's lock, asleep, and a write that takes no lock (an Idempotency-Key retry answered
# 409, an admin call) must not queue behind two slow voids.
_READERS = ThreadPoolExecutor(max_workers=max(2, len(os.sched_getaffinity(0))), thread_name_prefix="campfire-reader")
_WRITERS = ThreadPoolExecutor(max_workers=32, thread_name_prefix="campfire-writer")


class _Handler:
    """A handler function with what it is called with: the operation's parameters it names."""

    def __init__(self, function, operation: views.Operation):
        names = set(list(inspect.signature(function).parameters)[2:])  # after (standin, call)
        self.function = function
        self.parameters = tuple(param for param in operation.parameters if param.name in names)


class Dispatch:
    """ASGI app: runs the routed operation's handler for the stand-in the credentials' scope
    sees (a sandbox, or the server's own data)."""

    def __init__(self, standin, handlers: dict):
        operations = {operation.id: operation for view in views.views() for operation in view.operations.values()}
        missing = set(operations) - set(handlers)
        if missing:
            raise LookupError(f"no handler for operationId {', '.join(sorted(missing))}")
        self.standin = standin
        self.handlers = {name: _Handler(handlers[name], operation) for name, operation in operations.items()}
        self.jsonifier = Jsonifier()
        self.lifespan = Router()  # answers the server's lifespan messages (nothing to start or stop)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.lifespan(scope, receive, send)
        handler = self.handlers[facts.of(scope).operation.id]  # the view's rules pass on operations only
        call = Call.of(scope)
        arguments = parameters.arguments(handler.parameters, scope)
        standin = self.standin.scope(call.sandbox_id)
        with in_flight.admitted(
            facts.of(scope).generation, standin
        ):  # not when the stand-in was restored since it arrived
            answer = await asyncio.get_running_loop().run_in_executor(
                _READERS if call.method in auth.SAFE_METHODS else _WRITERS,
                lambda: handler.function(standin, call, **arguments),
            )
        await self.response(answer)(scope, receive, send)

    def response(self, answer) -> Response:
        """A handler's answer (a body, or (body, status)) as the JSON response it stands for."""
        body, status = answer if isinstance(answer, tuple) else (answer, 200)
        if body is None:
            return Response(status_code=status)
        return Response(self.jsonifier.dumps(body), status, media_type="application/json")
