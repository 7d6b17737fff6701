"""Pages that may not exist yet in a build (the support case page, issue 6)."""

from django.urls import NoReverseMatch, reverse


def support_case_url(case_id: int) -> str | None:
    """Return the support case page's URL, or None while the page is not built."""
    for kwarg in ("case_id", "support_case_id"):
        try:
            return reverse("support:case_detail", kwargs={kwarg: case_id})
        except NoReverseMatch:
            continue
    return None


def support_case_available() -> bool:
    """Return whether the support case page exists in this build."""
    return support_case_url(1) is not None
