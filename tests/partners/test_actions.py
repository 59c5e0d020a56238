import pytest
from django.urls import reverse

from gza.core.enums import Role
from gza.partners.models import Action, ActionNote
from tests.core.factories import UserFactory
from tests.partners.factories import ActionFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db


def test_overdue_actions_stand_out(client):
    late = ActionFactory(overdue=True)
    ActionFactory()
    assert list(Action.objects.overdue()) == [late]
    client.force_login(UserFactory())
    html = client.get(reverse("workspace:action_plan_list")).content.decode()
    assert html.count('class="is-overdue"') == 1


def test_an_embassy_officer_sees_and_updates_only_their_countrys_actions(client):
    officer = UserFactory(embassy_officer=True)  # France
    ours = ActionFactory()
    theirs = ActionFactory(partner=PartnerCountryFactory(country_id="PL"))
    client.force_login(officer)
    listing = client.get(reverse("workspace:action_plan_list")).content.decode()
    assert ours.title in listing and theirs.title not in listing
    assert client.get(reverse("workspace:action_update", args=[theirs.pk])).status_code == 404
    url = reverse("workspace:action_update", args=[ours.pk])
    empty = client.post(url, {"status": "done", "note": "  "})
    assert empty.status_code == 200
    done = client.post(url, {"status": "done", "note": "ტექნიკური დეტალები შეთანხმდა."})
    assert done.status_code == 302
    ours.refresh_from_db()
    assert ours.status == "done"
    assert ActionNote.objects.get().author == officer


def test_readers_cannot_update_actions(client):
    action = ActionFactory()
    client.force_login(UserFactory(role=Role.ANALYST))
    url = reverse("workspace:action_update", args=[action.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "done", "note": "x"}).status_code == 403
    action.refresh_from_db()
    assert action.status == "open"
