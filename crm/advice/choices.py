"""Advice kinds (mortgage, protection), their stages and transitions (SPEC D1, D3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.choices import Colour


class AdviceKind(models.TextChoices):
    """The kinds of case the advice module adds."""

    MORTGAGE = "mortgage", _("Mortgage")
    PROTECTION = "protection", _("Protection")


REFERENCE_CODES = {AdviceKind.MORTGAGE: "MTG", AdviceKind.PROTECTION: "PRO"}


class AdviceStatus(models.TextChoices):
    """Every stage of an advice case; TRANSITIONS says which kind has which."""

    NEW_LEAD = "new_lead", _("New Lead")
    REMORTGAGE = "remortgage", _("Remortgage")
    CALL_BACK = "call_back", _("Call Back")
    MEETING = "meeting", _("Meeting")
    DECISION_IN_PRINCIPLE = "decision_in_principle", _("Decision In Principle")
    PRE_OFFER_PROCESSING = "pre_offer_processing", _("Pre Offer Processing")
    VALUATION_INSTRUCTED = "valuation_instructed", _("Valuation Instructed")
    VALUATION_RECEIVED = "valuation_received", _("Valuation Received")
    OFFER_RECEIVED = "offer_received", _("Offer Received")
    POST_OFFER_PROCESSING = "post_offer_processing", _("Post Offer Processing")
    CONTRACTS_EXCHANGED = "contracts_exchanged", _("Contracts Exchanged")
    COMPLETED = "completed", _("Completed")
    FACT_FIND = "fact_find", _("Fact Find")
    QUOTED = "quoted", _("Quoted")
    SUBMITTED_TO_UNDERWRITERS = (
        "submitted_to_underwriters",
        _("Submitted To Underwriters"),
    )
    FURTHER_INFORMATION_REQUESTED = (
        "further_information_requested",
        _("Further Information Requested"),
    )
    DECISION_RECEIVED = "decision_received", _("Decision Received")
    ON_RISK = "on_risk", _("On Risk")
    NOT_PROCEEDING_WITH = "not_proceeding_with", _("Not Proceeding With")
    DECLINED_BY_PROVIDER = "declined_by_provider", _("Declined By Provider")

    @property
    def colour(self) -> str:
        """Return the badge colour of this stage ("" for a plain badge)."""
        return ADVICE_STATUS_COLOURS.get(self, "")


# Starting stages are blue, a call back amber; work done is green, work lost red.
ADVICE_STATUS_COLOURS: dict[str, str] = {
    AdviceStatus.NEW_LEAD: Colour.BLUE,
    AdviceStatus.REMORTGAGE: Colour.BLUE,
    AdviceStatus.CALL_BACK: Colour.AMBER,
    AdviceStatus.COMPLETED: Colour.GREEN,
    AdviceStatus.ON_RISK: Colour.GREEN,
    AdviceStatus.NOT_PROCEEDING_WITH: Colour.RED,
    AdviceStatus.DECLINED_BY_PROVIDER: Colour.RED,
}


S = AdviceStatus

MORTGAGE_STAGES = (
    S.NEW_LEAD,
    S.REMORTGAGE,
    S.CALL_BACK,
    S.MEETING,
    S.DECISION_IN_PRINCIPLE,
    S.PRE_OFFER_PROCESSING,
    S.VALUATION_INSTRUCTED,
    S.VALUATION_RECEIVED,
    S.OFFER_RECEIVED,
    S.POST_OFFER_PROCESSING,
    S.CONTRACTS_EXCHANGED,
    S.COMPLETED,
)
PROTECTION_STAGES = (
    S.NEW_LEAD,
    S.CALL_BACK,
    S.MEETING,
    S.FACT_FIND,
    S.QUOTED,
    S.SUBMITTED_TO_UNDERWRITERS,
    S.FURTHER_INFORMATION_REQUESTED,
    S.DECISION_RECEIVED,
    S.ON_RISK,
)

# Stages where a case's work is over (closing never deletes; reopen with a reason).
CLOSED_STATUSES = frozenset(
    {S.COMPLETED, S.ON_RISK, S.NOT_PROCEEDING_WITH, S.DECLINED_BY_PROVIDER}
)
# Advice cases start at one of these (seed 000); Remortgage for an existing mortgage.
WIZARD_START_STATUSES = (S.NEW_LEAD, S.CALL_BACK, S.MEETING)


# Where an adviser takes a case next (SPEC D3): forward along the pipeline,
# with the backward moves the work really has (a call back, a declined DIP, a
# re-valuation, a down-valuation that sends an offer back to valuation, a
# re-quote after a rated decision). Every open stage may also end at Not
# Proceeding With (with a reason); closed stages move only by reopening.
NPW = S.NOT_PROCEEDING_WITH
MORTGAGE_MOVES: dict[AdviceStatus, tuple[AdviceStatus, ...]] = {
    S.NEW_LEAD: (S.CALL_BACK, S.MEETING, S.DECISION_IN_PRINCIPLE),
    S.REMORTGAGE: (S.CALL_BACK, S.MEETING, S.DECISION_IN_PRINCIPLE),
    S.CALL_BACK: (S.MEETING, S.DECISION_IN_PRINCIPLE),
    S.MEETING: (S.CALL_BACK, S.DECISION_IN_PRINCIPLE, S.PRE_OFFER_PROCESSING),
    S.DECISION_IN_PRINCIPLE: (S.MEETING, S.PRE_OFFER_PROCESSING),
    S.PRE_OFFER_PROCESSING: (S.DECISION_IN_PRINCIPLE, S.VALUATION_INSTRUCTED),
    S.VALUATION_INSTRUCTED: (S.PRE_OFFER_PROCESSING, S.VALUATION_RECEIVED),
    S.VALUATION_RECEIVED: (
        S.PRE_OFFER_PROCESSING,
        S.VALUATION_INSTRUCTED,
        S.OFFER_RECEIVED,
    ),
    S.OFFER_RECEIVED: (
        S.VALUATION_INSTRUCTED,
        S.VALUATION_RECEIVED,
        S.POST_OFFER_PROCESSING,
        S.COMPLETED,
    ),
    S.POST_OFFER_PROCESSING: (S.OFFER_RECEIVED, S.CONTRACTS_EXCHANGED, S.COMPLETED),
    S.CONTRACTS_EXCHANGED: (S.COMPLETED,),
    S.COMPLETED: (),
}
PROTECTION_MOVES: dict[AdviceStatus, tuple[AdviceStatus, ...]] = {
    S.NEW_LEAD: (S.CALL_BACK, S.MEETING, S.FACT_FIND),
    S.CALL_BACK: (S.MEETING, S.FACT_FIND),
    S.MEETING: (S.CALL_BACK, S.FACT_FIND, S.QUOTED),
    S.FACT_FIND: (S.MEETING, S.QUOTED),
    S.QUOTED: (S.FACT_FIND, S.SUBMITTED_TO_UNDERWRITERS),
    S.SUBMITTED_TO_UNDERWRITERS: (
        S.QUOTED,
        S.FURTHER_INFORMATION_REQUESTED,
        S.DECISION_RECEIVED,
        S.ON_RISK,
        S.DECLINED_BY_PROVIDER,
    ),
    S.FURTHER_INFORMATION_REQUESTED: (
        S.SUBMITTED_TO_UNDERWRITERS,
        S.DECISION_RECEIVED,
        S.DECLINED_BY_PROVIDER,
    ),
    S.DECISION_RECEIVED: (S.QUOTED, S.ON_RISK, S.DECLINED_BY_PROVIDER),
    S.ON_RISK: (),
}


def _table(
    moves: dict[AdviceStatus, tuple[AdviceStatus, ...]], *ends: AdviceStatus
) -> dict[str, frozenset[str]]:
    """Return a kind's transition table: its moves, plus Not Proceeding With
    from every open stage; ``ends`` are closing stages outside the pipeline."""
    table: dict[str, frozenset[str]] = {}
    for stage, targets in moves.items():
        extra = set() if stage in CLOSED_STATUSES else {NPW}
        table[stage] = frozenset({str(t) for t in targets} | extra)
    for end in (NPW, *ends):
        table[end] = frozenset()
    return table


TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    AdviceKind.MORTGAGE: _table(MORTGAGE_MOVES),
    AdviceKind.PROTECTION: _table(PROTECTION_MOVES, S.DECLINED_BY_PROVIDER),
}
# Moves that close a case ask for confirmation first and say what will happen.
CONFIRM_STATUSES = frozenset(CLOSED_STATUSES)


def statuses_for(kind: str) -> list[AdviceStatus]:
    """Return the statuses an advice case of ``kind`` can have, in pipeline order."""
    return [AdviceStatus(s) for s in TRANSITIONS[kind]]


class AdviceEventType(models.TextChoices):
    """History entries only advice cases have."""

    MORTGAGE_UPDATED = "mortgage_updated", _("Mortgage details updated")
    REMORTGAGE_OPENED = "remortgage_opened", _("Remortgage case opened")


class ApplicantMode(models.TextChoices):
    SINGLE = "single", _("Single")
    JOINT = "joint", _("Joint")


class MortgageType(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    BUY_TO_LET = "buy_to_let", _("Buy To Let")


class MortgagePurpose(models.TextChoices):
    PURCHASE = "purchase", _("Purchase")
    REMORTGAGE = "remortgage", _("Remortgage")
    FURTHER_ADVANCE = "further_advance", _("Further advance")


class RepaymentMethod(models.TextChoices):
    REPAYMENT = "repayment", _("Capital and interest (repayment)")
    INTEREST_ONLY = "interest_only", _("Interest only")
    PART_AND_PART = "part_and_part", _("Part and part")
