"""The Campfire stand-in; `with mock_server.running() as standin:` runs one for a client's tests."""

from .running_standin import running

__all__ = ["running"]
