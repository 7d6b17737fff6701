"""Fixtures for the outbox tests: a clean handler registry and a fixed clock."""

import datetime

import pytest

from crm.core.outbox import registry


@pytest.fixture
def handlers(monkeypatch):
    """Give the test an empty outbox handler registry; return ``register_handler``."""
    monkeypatch.setattr(registry, "_REGISTRY", {})
    return registry.register_handler


@pytest.fixture
def clock(time_machine):
    """Stop the clock at noon on 1 June 2026 (UTC); move it with ``clock.shift``."""
    time_machine.move_to(
        datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC), tick=False
    )
    return time_machine
