"""The simulator fixtures (shared with the browser tests through ``fixtures``)."""

from crm.concerthub.tests.fixtures import hub, hub_server

__all__ = ["hub", "hub_server"]
