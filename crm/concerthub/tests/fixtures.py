"""A Concert Hub simulator on a free port, and Casework pointed at it."""

from collections.abc import Iterator

import pytest

from simulator.server import Running


@pytest.fixture(scope="session")
def hub_server() -> Iterator[Running]:
    running = Running().start()
    yield running
    running.stop()


@pytest.fixture
def hub(hub_server: Running, settings) -> Running:
    """The simulator, emptied, without faults, and the one Casework calls."""
    hub_server.app.store.clear()
    hub_server.app.faults.configure({})
    settings.CONCERT_HUB_URL = hub_server.url
    settings.OUTBOUND_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{hub_server.port}"]
    return hub_server
