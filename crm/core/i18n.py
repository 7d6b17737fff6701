"""A memo in front of Django's translation catalogs (installed by CoreConfig.ready).

Django's ``DjangoTranslation`` for ``en-gb`` merges the catalogs of Django and
its contrib apps, and chains six ``en`` catalogs behind them as fallbacks. An
English string that no catalog holds (almost every string the pages draw)
is looked up in each of them, twice (as a singular and as a plural form):
about 55 Python calls, 5-7 us, for each ``gettext`` and for each ``str()`` of
a lazy label. The case page makes about 230 of them.

The answer depends only on the translation object and the message, and each
object's catalogs are complete once it is built (``trans_real.translation``
builds one per language and caches it; settings changes and the autoreloader
drop the cache, so new objects start with empty memos). So each object
remembers its answers. Languages and translations keep working as before:
``USE_I18N = False`` would have cut a little more (the active-language lookup
too), but it drops every language but the default and so weakens
``translation.override`` in tests and any later translation.
"""

from typing import Any

from django.utils.translation import trans_real

# A message is remembered only while the memo is smaller than this, so strings
# that are not fixed (a template's ``{% translate variable %}``) cannot grow it
# without bound.
MEMO_LIMIT = 10_000

_catalog_gettext = trans_real.DjangoTranslation.gettext


def _memo_gettext(self: Any, message: str) -> str:
    """Return ``message`` translated, from this catalog's memo when it has it."""
    try:
        return self._crm_gettext_memo[message]  # type: ignore[no-any-return]  # the memo holds str
    except AttributeError:
        self._crm_gettext_memo = {}
    except KeyError:
        pass
    result: str = _catalog_gettext(self, message)
    if len(self._crm_gettext_memo) < MEMO_LIMIT:
        self._crm_gettext_memo[message] = result
    return result


def install() -> None:
    """Put the memo in front of every Django translation catalog (idempotent)."""
    trans_real.DjangoTranslation.gettext = _memo_gettext  # type: ignore[method-assign]  # Django offers no hook for the catalog lookup
