"""Writes to the firm's support pathways (SPEC I9).

A pathway is a name-only reference row like an interaction type, so these
services reuse ``crm.firms``' reference-list helpers: the same duplicate rule
(any case), the same archive and restore, the same audit entries.
"""

from django.db import transaction

from crm.firms.models import Firm, User
from crm.firms.services.lookups import named_create, named_rename, save_active
from crm.support.models import Pathway


@transaction.atomic
def pathway_create(*, firm: Firm, actor: User, name: str) -> Pathway:
    """Add a support pathway; its name must be new to the firm in any case (I9)."""
    return named_create(Pathway, firm=firm, actor=actor, name=name)


@transaction.atomic
def pathway_rename(*, firm: Firm, actor: User, pathway: Pathway, name: str) -> Pathway:
    """Rename a pathway; cases on it show the new name."""
    return named_rename(pathway, firm=firm, actor=actor, name=name)


@transaction.atomic
def pathway_set_active(
    *, firm: Firm, actor: User, pathway: Pathway, active: bool
) -> Pathway:
    """Archive or restore a pathway; cases keep an archived one."""
    return save_active(pathway, firm=firm, actor=actor, active=active)
