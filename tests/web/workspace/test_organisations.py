import pytest
from django.urls import reverse

from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.models import AuditEvent, Organisation
from tests.core.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(organisation: Organisation, **changes) -> dict:
    data = {
        "kind": organisation.kind,
        "name_ka": organisation.name_ka,
        "name_en": organisation.name_en,
        "short_name": organisation.short_name,
        "country": organisation.country_id or "",
        "parent": organisation.parent_id or "",
        "city_ka": organisation.city_ka,
        "city_en": organisation.city_en,
        "is_active": "on" if organisation.is_active else "",
    }
    return {**data, **changes}


def test_an_officer_edits_an_organisation_and_the_change_is_in_its_history(client):
    officer = UserFactory()
    organisation = OrganisationFactory(name_en="Old name")
    client.force_login(officer)
    response = client.post(
        reverse("workspace:organisation_edit", args=[organisation.pk]),
        _form(organisation, name_en="New name"),
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATED, target_id=str(organisation.pk))
    assert event.actor == officer
    assert event.payload["changes"]["name_en"] == ["Old name", "New name"]
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert "Old name → New name" in page


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "An embassy or consulate must name its country."), ("ka", "საელჩო")],
)
def test_an_embassy_without_a_country_is_refused_in_the_page_language(client, language, message):
    client.force_login(UserFactory())
    organisation = Organisation(kind=OrganisationKind.EMBASSY, name_ka="საელჩო X", name_en="X")
    response = client.post(f"/{language}/workspace/organisations/new/", _form(organisation))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.filter(name_en="X").exists()
    assert not AuditEvent.objects.filter(verb=AuditVerb.CREATED).exists()


def test_an_analyst_cannot_edit_organisations(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get(reverse("workspace:organisation_create")).status_code == 403


def test_an_administrator_changes_a_role_and_the_audit_keeps_old_and_new(client):
    admin = UserFactory(administrator=True)
    account = UserFactory(role=Role.ANALYST)
    client.force_login(admin)
    response = client.post(
        reverse("workspace:user_role", args=[account.pk]),
        {"role": Role.CASEWORKER, "organisation": account.organisation_id},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.role == Role.CASEWORKER
    event = AuditEvent.objects.get(verb=AuditVerb.ROLE_CHANGED)
    assert (event.actor, event.target_id) == (admin, str(account.pk))
    assert event.payload == {"changes": {"role": ["analyst", "caseworker"]}}


def test_an_unknown_role_is_refused_and_nothing_changes(client):
    client.force_login(UserFactory(administrator=True))
    account = UserFactory(role=Role.ANALYST)
    response = client.post(
        f"/en/workspace/administration/users/{account.pk}/role/", {"role": "king"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    account.refresh_from_db()
    assert account.role == Role.ANALYST
    assert not AuditEvent.objects.filter(verb=AuditVerb.ROLE_CHANGED).exists()
