"""A stand-in started in-process on a free loopback port, for runs without a base URL."""
from fixtures import DEFAULT
from mock_server.serving import ServerThread
from mock_server.standin import StandIn
from mock_server.storage import SqliteLedger, datasets
from mock_server.web.app import create_app


class LocalStandIn(ServerThread):
    """A fresh stand-in with the default dataset; gives its URL and the tokens to use."""

    def __init__(self):
        self.state = StandIn(SqliteLedger())
        datasets.load(self.state.ledger, DEFAULT)
        tokens = {(row["organization_id"], row["role"]): row["key"] for row in self.state.ledger.query(
            "SELECT key, organization_id, role FROM tokens")}
        self.token, self.view_only_token = tokens[(1, "admin")], tokens[(1, "view_only")]
        self.admin_token = self.state.admin_token
        super().__init__(create_app(self.state))

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self.state.ledger.close()
