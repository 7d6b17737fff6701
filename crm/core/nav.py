"""The navigation registry: each app registers the menu items of its pages.

Core owns the menus (``shell.shell_context`` shows them) but not the pages:
an app adds its items in ``AppConfig.ready()``, so core never imports the apps
whose pages it links to (STYLE B11). Items sort by ``order`` within a menu.
"""

from dataclasses import dataclass

MAIN = "main"
SETTINGS = "settings"
# Buttons in the header bar, such as + New Case.
ACTIONS = "actions"
MENUS = (MAIN, SETTINGS, ACTIONS)


@dataclass(frozen=True)
class NavItem:
    """A menu entry; ``module`` is "advice", "support" or "" for every firm.

    ``both_label`` replaces ``label`` for firms with more than one module (a Support
    firm calls its cases "Cases", as seed 004 does). ``order`` places the item
    in its menu; ``perm`` is the permission a principal needs to see it.

    Items of one ``group`` (header actions) show as one button: the first
    visible item alone, or, when several are visible, one disclosure menu
    named by the first item's ``label`` that lists each by its
    ``choice_label``. A ``solo=False`` item shows only as such a choice, never
    as a button of its own.
    """

    label: str
    url_name: str
    order: int
    both_label: str = ""
    perm: str = ""
    module: str = ""
    prefix: str = ""
    dev_only: bool = False
    group: str = ""
    choice_label: str = ""
    solo: bool = True


_items: dict[str, dict[str, NavItem]] = {menu: {} for menu in MENUS}
# Bumped by each registration, so what the shell keeps of the menus is redrawn.
_version = 0


def register(menu: str, *items: NavItem) -> None:
    """Add ``items`` to ``menu`` (one of ``MENUS``), keyed by URL name."""
    if menu not in _items:
        msg = f"Unknown menu {menu!r}."
        raise ValueError(msg)
    registered = _items[menu]
    for item in items:
        if registered.get(item.url_name, item) != item:
            msg = f"Two menu items for {item.url_name!r} in {menu!r}."
            raise ValueError(msg)
        registered[item.url_name] = item
    global _version
    _version += 1


def version() -> int:
    """Return a number that changes whenever an item is registered."""
    return _version


def items(menu: str) -> list[NavItem]:
    """Return ``menu``'s items in their order."""
    return sorted(_items[menu].values(), key=lambda item: item.order)
