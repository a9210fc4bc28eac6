"""A deployment whose generic layer (redirects, authentication headers) differs from Django's:
the stand-in's app behind an ASGI wrapper that rewrites the start of some answers (status and
headers) and passes everything else through untouched.

    with ServerThread(GenericDrift(stand_in.server.app, redirect_307)) as drifted: ...

Each drift is a function (status, headers) -> (status, headers), headers as ASGI (bytes) pairs.
"""


def redirect_307(status, headers):
    """A missing trailing slash is a 307 (the client re-POSTs), not Django's 301."""
    return (307 if status == 301 else status), headers


def no_www_authenticate(status, headers):
    """A 401 without `WWW-Authenticate: Token`."""
    return status, [(name, value) for name, value in headers if name.lower() != b"www-authenticate"]


class GenericDrift:
    """ASGI app: `app` with each answer's status and headers passed through `drifts`."""

    def __init__(self, app, *drifts):
        self.app, self.drifts = app, drifts

    async def __call__(self, scope, receive, send):
        async def drifted(message):
            if message["type"] == "http.response.start":
                status, headers = message["status"], list(message.get("headers", []))
                for drift in self.drifts:
                    status, headers = drift(status, headers)
                message = {**message, "status": status, "headers": headers}
            await send(message)

        await self.app(scope, receive, drifted)
