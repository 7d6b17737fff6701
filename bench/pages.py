"""Pages that may not exist in every build (the support case page)."""

from django.urls import NoReverseMatch, reverse


def support_case_url(case_id: int) -> str | None:
    """Return the support case page's URL, or None while the page is not built."""
    try:
        return reverse("support:case_detail", kwargs={"case_id": case_id})
    except NoReverseMatch:
        return None


def support_case_available() -> bool:
    """Return whether the support case page exists in this build."""
    return support_case_url(1) is not None
