"""A stand-in started in-process on a free loopback port, for runs without a base URL."""

from mock_server import running


class LocalStandIn:
    """`with LocalStandIn() as local:` a fresh stand-in with the default dataset
    (`mock_server.running()`): its URL, the tokens to use, its state and its server."""

    def __enter__(self):
        self._running = running()
        standin = self._running.__enter__()
        self.url, self.state, self.server = standin.base_url, standin.state, standin.server
        self.admin_token = standin.admin_token
        self.token, self.view_only_token = standin.token("admin", 1), standin.token("view_only", 1)
        return self

    def __exit__(self, *exc):
        return self._running.__exit__(*exc)
