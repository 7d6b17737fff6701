"""Calls to Concert Hub, all through the one guarded client (crm/core/outbound).

``CONCERT_HUB_URL`` says where the partner is (the simulator under
``make run``). Checks of network IDs answer a :class:`Check`; sending a
submission is the outbox handler's (``crm.concerthub.delivery``).
"""

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.conf import settings

from crm.core import outbound

CHECK_TIMEOUT = 5.0
SEND_TIMEOUT = 10.0


@dataclass(frozen=True)
class Check:
    """The partner's answer about a network ID.

    ``known`` is None when the partner could not be asked (no URL, network
    trouble, a server error): the ID is then neither accepted nor refused.
    """

    known: bool | None
    name: str = ""
    firm_id: str = ""
    problem: str = ""


def base_url() -> str:
    return str(settings.CONCERT_HUB_URL).rstrip("/")


def submissions_url() -> str:
    return f"{base_url()}/api/submissions"


def parse_json(body: str) -> Any:
    """Return the JSON in ``body``, or None if it is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return None


def _check(path: str) -> Check:
    if not base_url():
        return Check(None, problem="Concert Hub is not set up (CONCERT_HUB_URL).")
    result = outbound.get(url=f"{base_url()}{path}", timeout=CHECK_TIMEOUT)
    if result.status_code == 404:
        return Check(False)
    body = parse_json(result.text) if result.ok else None
    if not isinstance(body, dict):
        problem = result.error or "Concert Hub gave an answer we could not read."
        return Check(None, problem=problem)
    return Check(
        True, name=str(body.get("name", "")), firm_id=str(body.get("firm_id", ""))
    )


def check_firm(network_firm_id: str) -> Check:
    """Ask Concert Hub whether it knows the network Firm ID."""
    return _check(f"/api/firms/{quote(network_firm_id, safe='')}")


def check_adviser(adviser_uid: str) -> Check:
    """Ask Concert Hub whether it knows the Adviser UID, and for which firm."""
    return _check(f"/api/advisers/{quote(adviser_uid, safe='')}")
