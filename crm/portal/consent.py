"""The credit consent text, versioned (SPEC H3).

A new wording is a new entry with a new version; old versions stay so the
text a client confirmed can always be shown again. ``CURRENT`` is the one
clients read now.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentText:
    """One version of the consent wording."""

    version: str
    title: str
    paragraphs: tuple[str, ...]


TEXTS = {
    "2025-01": ConsentText(
        version="2025-01",
        title="Consent to a credit search",
        paragraphs=(
            "To recommend a mortgage or protection policy that suits you, "
            "{firm} needs to check your credit history.",
            "You agree that {firm} and the lenders or insurers it approaches "
            "for you may search your record at one or more credit reference "
            "agencies (Experian, Equifax or TransUnion). A 'soft' search does "
            "not affect your credit score; if you apply, the lender's full "
            "search will be recorded on your file.",
            "The search results are used only to assess your application and "
            "to prevent fraud, and are kept under {firm}'s privacy notice.",
            "You can withdraw this consent at any time by telling your "
            "adviser; searches already made will stay on your file.",
        ),
    ),
}
CURRENT = "2025-01"


def current_text() -> ConsentText:
    """Return the version of the consent text clients confirm now."""
    return TEXTS[CURRENT]


def text_of(version: str) -> ConsentText | None:
    """Return the consent text of ``version``, or None if there is none."""
    return TEXTS.get(version)
