"""Actions appear only for members who may use them (issue 14, item 1; SPEC A4).

A read-only member and an administrator open every staff page of the demo
firms (both modules), following links from the dashboard and every list, and
then every remaining page with an object id through the isolation factories.
Every link, form, button target and htmx or script URL on those pages is
resolved to its view: one whose policy needs a permission the member lacks
(or a module the firm lacks) is flagged, since following it would answer 403.
Routes added later are swept without editing this test.
"""

from collections import Counter, deque
from io import StringIO
from itertools import product

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from crm.core.policies import refusal
from crm.core.testing.actions import local_path, targets
from crm.core.tests.test_urls import ID_KWARG, _factory, _fill, all_routes
from crm.firms.choices import Role
from crm.firms.models import Firm, Membership
from crm.firms.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

NOT_STAFF = ("portal", "admin")
# Pages that end the session or answer with a file, not with a page of actions.
SKIP = {"firms:logout", "firms:firm_switch"}
PER_ROUTE = 12
MAX_PAGES = 1000


def _staff_route(name: str) -> bool:
    return name.partition(":")[0] not in NOT_STAFF and name not in SKIP


def _start_pages() -> list[str]:
    return [
        "/" + route
        for route, name, pattern in all_routes()
        if _staff_route(name)
        and "<" not in route
        and "staff:" in str(getattr(pattern.callback, "casework_policies", ""))
    ]


def _route_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


class _Sweep:
    """One member's walk over their pages, collecting refused targets."""

    def __init__(self, client, member: Membership) -> None:
        self.client, self.member = client, member
        self.offenders: set[str] = set()
        self.seen: Counter[str] = Counter()
        self.queue: deque[str] = deque()

    def open_page(self, path: str) -> None:
        """Open ``path``; flag refused targets and queue the links to follow."""
        response = self.client.get(path)
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            return
        for target in targets(response.content.decode()):
            target_path = local_path(target.url, path)
            if target_path is None:
                continue
            why = refusal(target_path, self.member)
            if why is not None:
                page = _route_name(path)
                self.offenders.add(f"{page}: <{target.tag} {target.attr}> {why}")
            elif target.tag == "a" and target.attr == "href":
                self.queue.append(target_path)

    def crawl(self) -> None:
        """Follow links from every list page, a few pages per route."""
        self.queue.extend(_start_pages())
        visited: set[str] = set()
        while self.queue and len(visited) < MAX_PAGES:
            path = self.queue.popleft()
            name = _route_name(path)
            if path in visited or name is None or not _staff_route(name):
                continue
            if self.seen[name] >= PER_ROUTE:
                continue
            visited.add(path)
            self.seen[name] += 1
            self.open_page(path)

    def remaining(self) -> None:
        """Open each route the crawl did not reach, with a made-up object."""
        for route, name, _pattern in all_routes():
            kwargs = ID_KWARG.findall(route)
            if self.seen[name] or not kwargs or not _staff_route(name):
                continue
            if "<str:" in route:
                continue
            firm = self.member.firm
            path = _fill(route, {k: _factory(name, k)(firm).pk for k in kwargs})
            self.seen[name] += 1
            self.open_page(path)


@pytest.fixture
def demo_firms() -> list[Firm]:
    call_command("seed_demo", stdout=StringIO())
    owners = Membership.objects.filter(user__email__in=_OWNERS, role=Role.OWNER)
    return [m.firm for m in owners.select_related("firm")]


_OWNERS = ("helen.carter@harbour.example", "grace.mensah@bridge.example")


@pytest.mark.crawl
def test_no_page_offers_an_action_the_member_would_be_refused(demo_firms, login):
    """Every link, form and htmx target on a member's pages is one they may use.

    One test for both roles and both demo firms: seeding the demo is the slow
    part.
    """
    sweeps = [
        (firm, _Sweep(login(member), member))
        for firm, role in product(demo_firms, (Role.READ_ONLY, Role.ADMINISTRATOR))
        for member in [MembershipFactory(firm=firm, role=role)]
    ]
    # Every crawl runs on the demo data before made-up objects are added.
    for _firm, sweep in sweeps:
        sweep.crawl()
    for _firm, sweep in sweeps:
        sweep.remaining()
    offenders = [
        f"{firm.name} / {sweep.member.role} / {line}"
        for firm, sweep in sweeps
        for line in sorted(sweep.offenders)
    ]
    assert offenders == [], "\n".join(offenders)
    assert all(sweep.seen.total() > 40 for _firm, sweep in sweeps)


def test_refusal_reads_the_views_policy(firm, read_only):
    """A page needing a permission the member lacks is refused; others are not."""
    assert refusal("/cases/1/edit/", read_only) == "advice:case_edit needs edit_cases"
    assert refusal("/clients/?q=x", read_only) is None
    assert refusal("/support/cases/", read_only) == (
        "support:case_list needs the support module"
    )
    assert refusal("/no/such/page/", read_only) is None


def test_refusal_remembers_each_path_per_urlconf(firm, read_only, settings):
    """A path's policy is resolved once per URLconf: another URLconf answers anew."""
    edit = "advice:case_edit needs edit_cases"
    assert refusal("/cases/1/edit/#notes", read_only) == edit
    assert refusal("/cases/1/edit/", read_only) == edit
    settings.ROOT_URLCONF = "crm.core.tests.urlconfs.moved"
    assert refusal("/cases/1/edit/", read_only) is None
    assert refusal("/people/3/record/", read_only) is None
    settings.ROOT_URLCONF = "config.urls"
    assert refusal("/cases/1/edit/", read_only) == edit


def test_readiness_names_a_blocker_without_a_link_a_reader_could_not_follow(
    firm, read_only, owner, login
):
    """A read-only member sees what a policy lacks, with no link to its edit form."""
    from crm.protection.tests.factories import make_policy, protection_case

    case = protection_case(firm)
    policy = make_policy(case, premium=None)
    edit = f"/policies/{policy.pk}/edit/#id_premium"
    assert edit not in login(read_only).get(case.get_absolute_url()).content.decode()
    assert edit in login(owner).get(case.get_absolute_url()).content.decode()
