"""Members, invitations and firm details settings pages (A4, A5, A6)."""

import pytest

from crm.core.models import AuditEvent, StoredEmail
from crm.firms.choices import Perm, Role
from crm.firms.models import Invitation
from crm.firms.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_member_list_shows_members_and_pending_invitations(owner_client, firm, adviser):
    """Members with roles and pending invitations are listed."""
    InvitationFactory(firm=firm, email="pending@example.com")
    body = owner_client.get("/settings/members/").content.decode()
    assert adviser.user.email in body
    assert "Adviser / Case manager" in body
    assert "pending@example.com" in body


def test_member_list_empty_invitations_state(owner_client):
    """With no invitations the page says how to invite."""
    body = owner_client.get("/settings/members/").content.decode()
    assert "No invitations are waiting." in body


@pytest.mark.parametrize("rows", [3, 6])
def test_member_list_query_count_is_constant(
    rows, owner_client, firm, django_assert_num_queries
):
    """Session, user with memberships, members, invitations: four queries."""
    for _ in range(rows):
        MembershipFactory(firm=firm)
        InvitationFactory(firm=firm)
    with django_assert_num_queries(4):
        owner_client.get("/settings/members/")


@pytest.mark.parametrize("role", ["adviser", "administrator", "read_only"])
def test_members_pages_need_manage_members(role, request, login):
    """Members without manage-members get 403."""
    client = login(request.getfixturevalue(role))
    assert client.get("/settings/members/").status_code == 403
    assert client.get("/settings/members/invite/").status_code == 403


def test_invite_sends_mail_and_lists_invitation(
    db_mail, owner_client, django_capture_on_commit_callbacks
):
    """Inviting sends the e-mail and shows a success message."""
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            "/settings/members/invite/",
            {"email": "Newbie@Example.com", "role": Role.READ_ONLY},
            follow=True,
        )
    body = response.content.decode()
    assert "Invitation sent to newbie@example.com." in body
    assert Invitation.objects.get().role == Role.READ_ONLY
    assert StoredEmail.objects.get().recipient == "newbie@example.com"


def test_invite_bad_email_keeps_input(owner_client):
    """An invalid address is reported and the typed value kept."""
    response = owner_client.post(
        "/settings/members/invite/", {"email": "not-an-email", "role": Role.ADVISER}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in body
    assert 'value="not-an-email"' in body


def test_invite_existing_member_is_refused_on_the_form(owner_client, adviser):
    """Inviting a current member shows the service's message on the field."""
    response = owner_client.post(
        "/settings/members/invite/", {"email": adviser.user.email, "role": "adviser"}
    )
    assert "is already a member" in response.content.decode()


def test_owner_edits_role_and_permissions(owner_client, adviser):
    """The owner grants a single permission from the member page."""
    perms = sorted(adviser.permissions | {Perm.EXPORT_DATA})
    response = owner_client.post(
        f"/settings/members/{adviser.pk}/",
        {"role": Role.ADVISER, "permissions": perms},
    )
    assert response.status_code == 302
    adviser.refresh_from_db()
    assert adviser.granted == [Perm.EXPORT_DATA]


def test_role_change_with_untouched_boxes_uses_new_defaults(owner_client, adviser):
    """Changing only the role does not carry the old role's permissions over."""
    owner_client.post(
        f"/settings/members/{adviser.pk}/",
        {"role": Role.READ_ONLY, "permissions": sorted(adviser.permissions)},
    )
    adviser.refresh_from_db()
    assert adviser.role == Role.READ_ONLY
    assert (adviser.granted, adviser.revoked) == ([], [])


def test_manager_sees_no_permission_boxes(manager, adviser, login):
    """Only owners get the permissions checkboxes."""
    body = login(manager).get(f"/settings/members/{adviser.pk}/").content.decode()
    assert "Only the firm's owner can grant" in body


def test_demoting_last_owner_shows_error(owner_client, owner):
    """The form explains why the last owner cannot be demoted."""
    response = owner_client.post(
        f"/settings/members/{owner.pk}/", {"role": Role.MANAGER}
    )
    assert "at least one active owner" in response.content.decode()


def test_deactivate_member(owner_client, adviser):
    """Deactivating removes the member's access and is audited."""
    response = owner_client.post(
        f"/settings/members/{adviser.pk}/active/", {"active": "0"}, follow=True
    )
    assert "was deactivated" in response.content.decode()
    adviser.refresh_from_db()
    assert adviser.is_active is False
    assert AuditEvent.objects.filter(verb="archive").count() == 1


def test_deactivated_member_loses_access(owner_client, adviser, login):
    """A deactivated member's next request has no firm."""
    client = login(adviser)
    owner_client.post(f"/settings/members/{adviser.pk}/active/", {"active": "0"})
    assert client.get("/")["Location"] == "/no-firm/"


def test_revoke_and_resend_invitation(
    db_mail, owner_client, firm, django_capture_on_commit_callbacks
):
    """Pending invitations can be resent and withdrawn."""
    invitation = InvitationFactory(firm=firm)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/settings/invitations/{invitation.pk}/resend/")
    assert StoredEmail.objects.count() == 1
    owner_client.post(f"/settings/invitations/{invitation.pk}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = owner_client.post(
        f"/settings/invitations/{invitation.pk}/resend/", follow=True
    )
    assert "no longer open" in response.content.decode()


def test_firm_edit_saves_and_audits(owner_client, firm):
    """The owner changes the firm name and colour."""
    response = owner_client.post(
        "/settings/firm/",
        {
            "name": "Harbour Advice",
            "brand_colour": "#0f766e",
            "case_reference_prefix": "ha",
            "default_follow_up_days": 3,
            "remortgage_review_months": 4,
            "has_advice": "on",
        },
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.brand_colour, firm.case_reference_prefix) == (
        "Harbour Advice",
        "#0f766e",
        "HA",
    )
    assert firm.remortgage_review_months == 4
    event = AuditEvent.objects.get(object_type="firms.firm")
    assert event.changes["name"] == ["Harbour Mortgages", "Harbour Advice"]


def test_firm_edit_bad_input_keeps_values(owner_client):
    """Bad colour, prefix and no module are each explained; input is kept."""
    response = owner_client.post(
        "/settings/firm/",
        {
            "name": "Kept Name",
            "brand_colour": "blue",
            "case_reference_prefix": "TOO-LONG",
            "default_follow_up_days": 3,
            "remortgage_review_months": 6,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a colour as #" in body
    assert "Choose at least one module." in body
    assert 'value="Kept Name"' in body


def test_manager_cannot_switch_modules(manager, login, firm):
    """Only the owner changes modules; the manager sees why."""
    response = login(manager).post(
        "/settings/firm/",
        {
            "name": firm.name,
            "brand_colour": firm.brand_colour,
            "default_follow_up_days": 2,
            "remortgage_review_months": 6,
            "has_advice": "on",
            "has_support": "on",
        },
    )
    assert "Only the firm&#x27;s owner can switch modules" in response.content.decode()
    firm.refresh_from_db()
    assert firm.has_support is False


def test_invitation_accept_page_flow(
    db_mail, client, owner_client, django_capture_on_commit_callbacks
):
    """The invited person opens the link, sets a password and is logged in."""
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(
            "/settings/members/invite/",
            {"email": "ann@example.com", "role": "adviser"},
        )
    body = StoredEmail.objects.get().body
    path = next(w for w in body.split() if "/invitations/" in w).replace(
        "http://testserver", ""
    )
    page = client.get(path).content.decode()
    assert "Join Harbour Mortgages" in page
    response = client.post(
        path,
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "password1": "ann-long-passphrase",
            "password2": "ann-long-passphrase-typo",
        },
    )
    assert "The two passwords do not match." in response.content.decode()
    assert 'value="Ann"' in response.content.decode()
    response = client.post(
        path,
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "password1": "ann-long-passphrase",
            "password2": "ann-long-passphrase",
        },
    )
    assert response["Location"] == "/"
    assert "Welcome to Harbour Mortgages." in client.get("/").content.decode()
    again = client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_invalid_invitation_link_is_a_clear_404(client):
    """A made-up token gets a helpful page, not a 500."""
    response = client.get("/invitations/made-up-token/")
    assert response.status_code == 404
    assert "isn't valid" in response.content.decode()
