"""The report tests set some rows up directly: recount the rollups after."""

from collections.abc import Iterator

import pytest

from crm.core.testing.rollups import recount_after_direct_updates


@pytest.fixture(autouse=True)
def _recount_rollups() -> Iterator[None]:
    with recount_after_direct_updates():
        yield
