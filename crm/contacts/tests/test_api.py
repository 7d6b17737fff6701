"""The contacts API: list, read, create, change and archive through the services."""

import pytest

from crm.contacts.models import ADDRESS_FIELDS, PHONE_FIELDS, Contact
from crm.contacts.tests.factories import ContactFactory
from crm.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_contact_list_pages_by_cursor_in_constant_queries(
    api, firm, other_firm, django_assert_num_queries
):
    """Three of the firm's contacts come back two a page; another firm's never."""
    mine = [ContactFactory(firm=firm) for _ in range(3)]
    ContactFactory(firm=other_firm)
    # token lookup, token touch (first use), contacts
    with django_assert_num_queries(3):
        first = api.get("/api/v1/contacts", {"limit": 2}).json()
    assert [c["id"] for c in first["items"]] == [c.pk for c in mine[:2]]
    with django_assert_num_queries(2):
        second = api.get(
            "/api/v1/contacts", {"limit": 2, "cursor": first["next_cursor"]}
        ).json()
    assert [c["id"] for c in second["items"]] == [mine[2].pk]
    assert second["next_cursor"] is None


def test_contact_list_uses_the_clients_list_filters(api, firm):
    """``q`` searches like the Clients list; ``archived`` lists archived ones."""
    ContactFactory(firm=firm, first_name="Ada", last_name="Lovelace")
    ContactFactory(firm=firm, first_name="Alan", last_name="Turing", is_archived=True)
    found = api.get("/api/v1/contacts", {"q": "Lovelace"}).json()["items"]
    assert [c["last_name"] for c in found] == ["Lovelace"]
    archived = api.get("/api/v1/contacts", {"archived": "true"}).json()["items"]
    assert [c["last_name"] for c in archived] == ["Turing"]


def test_a_junk_cursor_is_a_400_with_a_code(api):
    """A cursor the API did not give out is refused with ``invalid_cursor``."""
    response = api.get("/api/v1/contacts", {"cursor": "not-a-cursor!"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_contact_create_goes_through_the_service(api, firm):
    """A new contact is saved with its history and audit row, as on the page."""
    response = api.post(
        "/api/v1/contacts",
        {"first_name": "Grace", "last_name": "Hopper", "email": "G@Example.com"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    assert contact.email == "g@example.com"
    assert AuditEvent.objects.filter(
        firm=firm, object_id=str(contact.pk), verb="create"
    ).exists()


def test_a_duplicate_contact_is_409_with_the_services_code(api, firm):
    """The duplicate rule (B3) holds through the API too."""
    ContactFactory(firm=firm, email="dup@example.com")
    response = api.post(
        "/api/v1/contacts",
        {"first_name": "D", "email": "dup@example.com"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"


def test_validation_errors_name_the_field(api):
    """K2: a wrong type is 422 and ``fields`` names the field as a 400 does.

    ``body.date_of_birth``, not django-ninja's ``body.data.date_of_birth``
    (``data`` is the view's parameter); a date says how to write one.
    """
    response = api.post(
        "/api/v1/contacts",
        {"first_name": "x" * 81, "date_of_birth": "31/12/1980"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert set(body["fields"]) == {"body.first_name", "body.date_of_birth"}
    assert body["fields"]["body.date_of_birth"] == [
        "Enter a date as YYYY-MM-DD, e.g. 2026-01-31."
    ]
    empty = api.post("/api/v1/contacts", "", content_type="application/json")
    assert empty.json()["fields"] == {
        "body": ["Send a JSON object as the request body."]
    }


def test_a_service_rule_names_its_field(api):
    """A person with no name is refused by the service, naming the field."""
    response = api.post("/api/v1/contacts", {}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "body.first_name": ["Enter a first or last name."]
    }


def test_contact_update_changes_only_the_fields_sent(api, firm):
    """PATCH leaves out what it does not send."""
    contact = ContactFactory(firm=firm, first_name="Ann", town="Leeds")
    response = api.patch(
        f"/api/v1/contacts/{contact.pk}",
        {"town": "York"},
        content_type="application/json",
    )
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.first_name, contact.town) == ("Ann", "York")


def test_contact_archive_and_restore(api, firm):
    """Archive, then restore, through the one service."""
    contact = ContactFactory(firm=firm)
    url = f"/api/v1/contacts/{contact.pk}/archive"
    assert (
        api.post(url, {"archived": True}, content_type="application/json").json()[
            "is_archived"
        ]
        is True
    )
    assert (
        api.post(url, {"archived": False}, content_type="application/json").json()[
            "is_archived"
        ]
        is False
    )


def test_another_firms_contact_is_404_even_with_a_bad_body(api, other_firm):
    """A forged id is 404 before the body is read, so nothing leaks."""
    theirs = ContactFactory(firm=other_firm)
    response = api.patch(
        f"/api/v1/contacts/{theirs.pk}",
        {"date_of_birth": "junk"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_values_not_safe_to_contact_are_withheld_as_in_the_csv(api, firm):
    """SPEC I14: the API blanks an unsafe address or phones and says so."""
    contact = ContactFactory(
        firm=firm,
        mobile="07700 900123",
        address_line1="1 High Street",
        postcode="AB1 2CD",
        address_unsafe=True,
        address_unsafe_reason="Shared post",
    )
    body = api.get(f"/api/v1/contacts/{contact.pk}").json()
    assert body["address_unsafe"] is True
    assert body["phone_unsafe"] is False
    assert (body["address_line1"], body["postcode"]) == ("", "")
    assert body["mobile"] == "07700 900123"
    assert "address_unsafe_reason" not in body
    contact.phone_unsafe = True
    contact.save()
    listed = api.get("/api/v1/contacts").json()["items"]
    row = next(item for item in listed if item["id"] == contact.pk)
    assert (row["mobile"], row["phone_unsafe"]) == ("", True)


@pytest.mark.parametrize(
    ("address_unsafe", "phone_unsafe"), [(True, False), (False, True), (True, True)]
)
def test_i14_the_api_withholds_exactly_what_the_export_does(
    api, firm, address_unsafe, phone_unsafe
):
    """SPEC I14: every withheld field is blank in the API when the CSV blanks it."""
    contact = ContactFactory(
        firm=firm,
        mobile="07700 900123",
        other_phone="0131 496 0000",
        address_line1="1 High Street",
        address_line2="Flat 2",
        town="Leith",
        county="Midlothian",
        postcode="EH6 1AA",
        address_unsafe=address_unsafe,
        phone_unsafe=phone_unsafe,
    )
    body = api.get(f"/api/v1/contacts/{contact.pk}").json()
    fields = sorted(ADDRESS_FIELDS | PHONE_FIELDS)
    assert [body[f] for f in fields] == [contact.export_value(f) for f in fields]
    assert any(body[f] == "" for f in fields) is True
    assert any(body[f] != "" for f in fields) is (not (address_unsafe and phone_unsafe))
