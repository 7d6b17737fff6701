"""Start the simulator on a free port in a background thread."""

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from simulator.server import Running

EXAMPLE = (
    Path(__file__).resolve().parents[2] / "docs/concert-hub/example-submission.json"
)


@pytest.fixture(scope="session")
def running_simulator() -> Iterator[Running]:
    running = Running().start()
    yield running
    running.stop()


@pytest.fixture
def simulator(running_simulator: Running) -> Running:
    """The shared simulator, emptied and without faults."""
    running_simulator.app.store.clear()
    running_simulator.app.faults.configure({})
    return running_simulator


@pytest.fixture
def client(simulator: Running) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=simulator.url, timeout=5) as http:
        yield http


@pytest.fixture
def payload() -> dict[str, Any]:
    """A valid submission (a fresh copy for each test)."""
    return copy.deepcopy(json.loads(EXAMPLE.read_text()))


@pytest.fixture
def submit(client: httpx.Client) -> Callable[..., httpx.Response]:
    def _submit(body: Any, key: str = "key-1", **headers: str) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return client.post(
            "/api/submissions",
            content=content,
            headers={"Idempotency-Key": key, **headers} if key else headers,
        )

    return _submit
