"""The erasure registry: hooks that higher apps add to erasure (SPEC M3)."""

import pytest

from crm.contacts.models import Contact
from crm.core import erasure
from crm.firms.models import Firm


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(erasure, "_HOOKS", {})


def test_run_calls_every_hook_and_adds_up_their_counts(clean_registry):
    """Each hook gets the firm and the contact; counts of zero are left out."""
    calls = []

    def first(*, firm, contact):
        calls.append(("first", firm, contact))
        return {"app.one": 2, "app.none": 0}

    def second(*, firm, contact):
        calls.append(("second", firm, contact))
        return {"app.one": 1, "app.two": 3}

    erasure.register("first", first)
    erasure.register("second", second)
    firm, contact = Firm(name="F"), Contact(last_name="C")
    assert erasure.run(firm=firm, contact=contact) == {"app.one": 3, "app.two": 3}
    assert calls == [("first", firm, contact), ("second", firm, contact)]


def test_a_key_registered_twice_with_another_hook_is_refused(clean_registry):
    """Registering the same hook again is harmless; another under its key is not."""

    def hook(*, firm, contact):
        return {}

    erasure.register("portal", hook)
    erasure.register("portal", hook)
    with pytest.raises(ValueError, match="registered twice"):
        erasure.register("portal", lambda **kwargs: {})
    assert list(erasure.hooks()) == ["portal"]


def test_the_portal_registers_its_hook():
    """The portal's records are erased through the registry (crm.portal.apps)."""
    from crm.portal.services.erasure import contact_portal_erase

    assert erasure.hooks()["portal"] is contact_portal_erase
