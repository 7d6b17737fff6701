"""The memo in front of Django's translation catalogs answers as the catalogs do."""

from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, pgettext, trans_real

from crm.core import i18n


def test_memo_is_installed_in_front_of_every_catalog():
    """Each language's catalog remembers what it was asked."""
    assert trans_real.DjangoTranslation.gettext is i18n._memo_gettext
    with translation.override("en-gb"):
        assert gettext("A string no catalog holds") == "A string no catalog holds"
        catalog = trans_real.translation("en-gb")
        assert catalog._crm_gettext_memo["A string no catalog holds"] == (  # type: ignore[attr-defined]  # set by the memo
            "A string no catalog holds"
        )


def test_each_language_keeps_its_own_answers():
    """A string translated in one language is not answered in another's words."""
    label = gettext_lazy("Yes")
    for _ in range(2):  # the second time from the memos
        with translation.override("en-gb"):
            assert str(label) == "Yes"
        with translation.override("fr"):
            assert str(label) == "Oui"
            assert pgettext("abbrev. month", "Jan.") == "jan."
        with translation.override("de"):
            assert gettext("Yes") == "Ja"


def test_memo_answers_as_the_catalog_does_and_stays_bounded(monkeypatch):
    """Past the limit a message is translated each time, not remembered."""
    monkeypatch.setattr(i18n, "MEMO_LIMIT", 2)
    catalog = trans_real.DjangoTranslation("fr")
    for message in ("Yes", "No", "Monday", "Yes"):
        assert catalog.gettext(message) == i18n._catalog_gettext(catalog, message)
    assert set(catalog._crm_gettext_memo) == {"Yes", "No"}  # type: ignore[attr-defined]  # set by the memo


def test_a_browser_asking_for_another_language_gets_british_english(client):
    """LANGUAGES holds en-gb alone: Accept-Language cannot mix in Django's own
    strings in another language."""
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 200
    assert response["Content-Language"] == "en-gb"
