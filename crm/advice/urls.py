"""Advice case routes: the Cases list and page, mortgage details, the wizard."""

from django.urls import path

from crm.advice.factfind.urls import urlpatterns as factfind_urlpatterns
from crm.advice.urls_wizard import urlpatterns as wizard_urlpatterns
from crm.advice.views import applicants, board, cases, mortgage

app_name = "advice"

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/export.csv", cases.case_export, name="case_export"),
    path(
        "cases/board/mortgages/",
        board.case_board,
        {"board": "mortgages"},
        name="mortgage_board",
    ),
    path(
        "cases/board/protection/",
        board.case_board,
        {"board": "protection"},
        name="protection_board",
    ),
    path("cases/<int:case_id>/board-move/", board.board_move, name="board_move"),
    path("cases/<int:case_id>/", cases.case_detail, name="case_detail"),
    path("cases/<int:case_id>/move/", cases.case_move, name="case_move"),
    path("cases/<int:case_id>/reopen/", cases.case_reopen, name="case_reopen"),
    path("cases/<int:case_id>/edit/", cases.case_edit, name="case_edit"),
    path(
        "cases/<int:case_id>/applicants/add/",
        applicants.case_applicant_add,
        name="case_applicant_add",
    ),
    path(
        "cases/applicants/<int:applicant_id>/remove/",
        applicants.case_applicant_remove,
        name="case_applicant_remove",
    ),
    path("cases/<int:case_id>/mortgage/", mortgage.mortgage_edit, name="mortgage_edit"),
    *factfind_urlpatterns,
    *wizard_urlpatterns,
]
