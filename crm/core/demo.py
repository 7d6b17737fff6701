"""The demo registry: ``seed_demo`` and ``demo_logins`` ask it what to do.

``crm.firms`` registers how to create the demo firms and members and how to
list their logins; every other app registers a ``seed(firms)`` step in its
``AppConfig.ready()``. Steps run in registration order, which is
``INSTALLED_APPS`` order, the layer order: an app's step can use the data of
the apps below it.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from crm.core import rollups

if TYPE_CHECKING:
    from crm.firms.models import Firm

Firms = dict[str, "Firm"]
FirmSeeder = Callable[[], Firms]
Seeder = Callable[[Firms], None]
LoginLines = Callable[[], list[str]]

_firm_seeders: list[tuple[FirmSeeder, LoginLines]] = []
_seeders: list[Seeder] = []
_login_lines: list[LoginLines] = []


def register_firms(seed: FirmSeeder, *, logins: LoginLines) -> None:
    """Set how to create the demo firms (``seed() -> firms``) and list logins."""
    _firm_seeders[:] = [(seed, logins)]


def register(seed: Seeder) -> Seeder:
    """Add ``seed(firms)``, one app's demo data; registering twice is a no-op."""
    if seed not in _seeders:
        _seeders.append(seed)
    return seed


def register_logins(lines: LoginLines) -> LoginLines:
    """Add ``lines()``, more demo logins (the portal's clients) after the members'."""
    if lines not in _login_lines:
        _login_lines.append(lines)
    return lines


def _firms_step() -> tuple[FirmSeeder, LoginLines]:
    if not _firm_seeders:
        msg = "No app registered the demo firms (crm.firms does, in ready())."
        raise RuntimeError(msg)
    return _firm_seeders[0]


def seed() -> None:
    """Create the demo firms, then run every app's step with them."""
    firms = _firms_step()[0]()
    for step in _seeders:
        step(firms)
    # Some steps write rows directly (backdated history): recount the
    # reports' summary rows of the demo firms from the base tables.
    rollups.rebuild_all([firm.pk for firm in firms.values()])


def login_lines() -> list[str]:
    """Return the lines that list the demo logins."""
    lines = _firms_step()[1]()
    for more in _login_lines:
        lines.extend(more())
    return lines
