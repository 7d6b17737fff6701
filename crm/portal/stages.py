"""The advice kinds' tracker stages, in the words a client understands (H4)."""

from crm.advice.choices import AdviceKind, AdviceStatus
from crm.portal.progress import Stage, register

S = AdviceStatus

MORTGAGE = (
    Stage(
        "Getting started",
        frozenset({S.NEW_LEAD, S.CALL_BACK, S.MEETING, S.REMORTGAGE}),
        "Your adviser will talk through what you need and gather your details.",
    ),
    Stage(
        "Checking what you can borrow",
        frozenset({S.DECISION_IN_PRINCIPLE}),
        "Your adviser is getting an agreement in principle from a lender.",
    ),
    Stage(
        "Preparing your application",
        frozenset({S.PRE_OFFER_PROCESSING}),
        "Your adviser is putting your application together for the lender.",
    ),
    Stage(
        "Your application is with the lender",
        frozenset({S.VALUATION_INSTRUCTED, S.VALUATION_RECEIVED}),
        "The lender is checking your application and valuing the property.",
    ),
    Stage(
        "You have a mortgage offer",
        frozenset({S.OFFER_RECEIVED, S.POST_OFFER_PROCESSING}),
        "Your solicitor will prepare for the exchange of contracts.",
    ),
    Stage(
        "Contracts exchanged",
        frozenset({S.CONTRACTS_EXCHANGED}),
        "The money is sent on the completion date and the purchase completes.",
    ),
    Stage(
        "Completed",
        frozenset({S.COMPLETED}),
        "Your mortgage is in place. Your adviser will be in touch before your "
        "deal ends.",
    ),
)

PROTECTION = (
    Stage(
        "Getting started",
        frozenset({S.NEW_LEAD, S.CALL_BACK, S.MEETING}),
        "Your adviser will talk through the cover you need.",
    ),
    Stage(
        "Understanding your needs",
        frozenset({S.FACT_FIND}),
        "Your adviser is gathering your details to find the right cover.",
    ),
    Stage(
        "Finding the right cover",
        frozenset({S.QUOTED}),
        "Your adviser will go through the quotes with you.",
    ),
    Stage(
        "Your application is with the insurer",
        frozenset({S.SUBMITTED_TO_UNDERWRITERS, S.FURTHER_INFORMATION_REQUESTED}),
        "The insurer is reviewing your application; they may ask for more information.",
    ),
    Stage(
        "The insurer has decided",
        frozenset({S.DECISION_RECEIVED}),
        "Your adviser will explain the insurer's decision and the next steps.",
    ),
    Stage(
        "Your cover is in place",
        frozenset({S.ON_RISK}),
        "Your policy is active. Keep your policy documents somewhere safe.",
    ),
)


def register_stages() -> None:
    """Register the mortgage and protection trackers."""
    register(AdviceKind.MORTGAGE, MORTGAGE)
    register(AdviceKind.PROTECTION, PROTECTION)
