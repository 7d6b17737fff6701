from django.urls import path

from crm.firms.urls_lookups import urlpatterns as lookup_urlpatterns
from crm.firms.views import auth, firm, invitations, members, mfa, options

app_name = "firms"

urlpatterns = [
    path("login/", auth.login, name="login"),
    path("login/code/", mfa.login_code, name="login_code"),
    path("logout/", auth.logout, name="logout"),
    path("password-reset/", auth.password_reset, name="password_reset"),
    path("password-reset/sent/", auth.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth.password_reset_complete,
        name="password_reset_complete",
    ),
    path("account/password/", auth.password_change, name="password_change"),
    path("account/two-factor/", mfa.two_factor_detail, name="two_factor_detail"),
    path("account/two-factor/set-up/", mfa.two_factor_setup, name="two_factor_setup"),
    path(
        "account/two-factor/recovery-codes/",
        mfa.two_factor_codes,
        name="two_factor_codes",
    ),
    path(
        "account/two-factor/recovery-codes/new/",
        mfa.recovery_codes_new,
        name="recovery_codes_new",
    ),
    path(
        "account/two-factor/turn-off/",
        mfa.two_factor_disable,
        name="two_factor_disable",
    ),
    path("firms/switch/", auth.firm_switch, name="firm_switch"),
    path("no-firm/", auth.no_firm, name="no_firm"),
    path(
        "invitations/<str:token>/",
        invitations.invitation_accept,
        name="invitation_accept",
    ),
    path("settings/firm/", firm.firm_edit, name="firm_edit"),
    path("settings/members/", members.member_list, name="member_list"),
    path("settings/members/invite/", invitations.member_invite, name="member_invite"),
    path(
        "settings/members/<int:membership_id>/",
        members.member_edit,
        name="member_edit",
    ),
    path(
        "settings/members/<int:membership_id>/active/",
        members.member_set_active,
        name="member_set_active",
    ),
    path(
        "settings/members/<int:membership_id>/two-factor/reset/",
        mfa.member_two_factor_reset,
        name="member_two_factor_reset",
    ),
    path(
        "settings/invitations/<int:invitation_id>/resend/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "settings/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "introducers/options/branches/",
        options.introducer_branch_options,
        name="introducer_branch_options",
    ),
    path(
        "introducers/options/negotiators/",
        options.negotiator_options,
        name="negotiator_options",
    ),
    *lookup_urlpatterns,
]
