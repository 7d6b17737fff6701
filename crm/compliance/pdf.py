"""The readable PDF summary inside a subject access archive (SPEC M2).

Built with fpdf2's core fonts, which cover Latin-1: characters outside it
are shown as "?" in the PDF (the JSON beside it keeps them exactly).
"""

from typing import Any

from django.utils import timezone
from fpdf import FPDF

from crm.compliance.selectors import SubjectData

_SKIP_KEYS = frozenset({"id", "contact_id", "case_id", "related"})


def _latin(text: Any) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


class _Summary(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 10, f"Page {self.page_no()}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.multi_cell(0, 8, _latin(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)


def _pairs(pdf: FPDF, values: dict[str, Any]) -> None:
    for key, value in values.items():
        if key in _SKIP_KEYS or value in (None, "", [], {}):
            continue
        if isinstance(value, dict | list):
            continue
        label = key.removesuffix("_id").replace("_", " ").capitalize()
        pdf.multi_cell(0, 5, _latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")


def summary_pdf(data: SubjectData, *, firm_name: str) -> bytes:
    """Return the PDF summary of ``data`` for the person it is about."""
    pdf = _Summary(format="A4")
    pdf.set_title(_latin(f"Your data held by {firm_name}"))
    pdf.set_author(_latin(firm_name))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(
        0, 9, _latin(f"Your data held by {firm_name}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", size=10)
    now = timezone.localtime().strftime("%d %B %Y, %H:%M")
    pdf.multi_cell(
        0,
        5,
        _latin(
            f"Prepared on {now} for {data.contact.display_name}. This summary "
            "lists the records we hold about you; records.json in the same "
            "archive holds every one of them in full, and the documents folder "
            "holds your documents."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    _heading(pdf, "Your details")
    _pairs(pdf, data.records["contacts.contact"][0])
    _heading(pdf, f"Your cases ({len(data.cases)})")
    if not data.cases:
        pdf.multi_cell(0, 5, "None.", new_x="LMARGIN", new_y="NEXT")
    for case in data.cases:
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.multi_cell(
            0,
            6,
            _latin(f"{case.get('reference', '')} ({case['your_position']})"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", size=10)
        _pairs(
            pdf,
            {k: case.get(k) for k in ("kind", "status", "created_at", "closed_at")},
        )
        for label, rows in sorted(case.get("records", {}).items()):
            pdf.multi_cell(
                0,
                5,
                _latin(f"{label}: {len(rows)} record(s)"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    _heading(pdf, "Other records")
    for label, rows in sorted(data.records.items()):
        if label in ("contacts.contact", "cases.document"):
            continue
        pdf.multi_cell(
            0,
            5,
            _latin(f"{label}: {len(rows)} record(s)"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    _heading(pdf, f"Your documents ({len(data.documents)})")
    for document in data.documents:
        pdf.multi_cell(
            0,
            5,
            _latin(
                f"{document.original_name} ({document.get_document_type_display()})"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if data.withheld_documents:
        pdf.multi_cell(
            0,
            5,
            _latin(
                f"{data.withheld_documents} document(s) of a joint case are not "
                "included because they may hold another person's data; ask us "
                "if you need them."
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
