"""A stand-in started in-process on a free loopback port, for runs without a base URL."""
import warnings

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fixtures import DEFAULT  # noqa: E402
from mock_server import fixtures  # noqa: E402
from mock_server.app import create_app  # noqa: E402
from mock_server.ledger import Ledger  # noqa: E402
from mock_server.serving import ServerThread  # noqa: E402
from mock_server.state import MockState  # noqa: E402


class LocalStandIn(ServerThread):
    """A fresh stand-in with the default dataset; gives its URL and the tokens to use."""

    def __init__(self):
        self.state = MockState(Ledger())
        fixtures.load(self.state.ledger, DEFAULT)
        tokens = {(row["organization_id"], row["role"]): row["key"] for row in fixtures.tokens(self.state.ledger)}
        self.token, self.view_only_token = tokens[(1, "admin")], tokens[(1, "view_only")]
        self.admin_token = self.state.admin_token
        super().__init__(create_app(self.state))
