"""Applications on the portal: apply from the eligibility check, follow, withdraw, accept or
decline; only one's own (others are a 404); and the public page of a published lottery."""

import pytest
from django.urls import reverse

from gza.core.enums import Role
from gza.demand.enums import SelectionMethod
from gza.matching import engine
from gza.recruitment.enums import Stage
from gza.recruitment.models import Application
from gza.recruitment.selection import round_draw, round_publish
from tests.core.factories import UserFactory
from tests.recruitment.factories import ApplicationFactory, applicant, vacancy_with_employer_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def vacancy():
    return vacancy_with_employer_account()


def test_a_person_applies_from_the_eligibility_check(client, vacancy):
    person = applicant()
    client.force_login(person.user)
    check = reverse("portal:eligibility_check", kwargs={"pk": vacancy.pk})
    assert reverse("portal:apply", kwargs={"pk": vacancy.pk}) in client.get(check).content.decode()
    response = client.post(reverse("portal:apply", kwargs={"pk": vacancy.pk}))
    assert response.status_code == 302
    assert response.url == reverse("portal:my_applications")
    application = Application.objects.get()
    assert (application.job_seeker, application.stage) == (person, Stage.APPLIED)
    page = client.get(response.url).content.decode()
    assert vacancy.title_ka in page
    # The check page now says so instead of offering to apply again.
    assert (
        reverse("portal:apply", kwargs={"pk": vacancy.pk}) not in client.get(check).content.decode()
    )


def test_applying_twice_shows_the_refusal(client, vacancy):
    person = applicant()
    client.force_login(person.user)
    client.post(reverse("portal:apply", kwargs={"pk": vacancy.pk}))
    response = client.post(
        "/en" + reverse("portal:apply", kwargs={"pk": vacancy.pk})[3:], follow=True
    )
    assert "already applied" in response.content.decode()
    assert Application.objects.count() == 1


def test_applying_needs_a_post(client, vacancy):
    client.force_login(applicant().user)
    assert client.get(reverse("portal:apply", kwargs={"pk": vacancy.pk})).status_code == 405


def test_a_selected_person_accepts_the_offer(client, vacancy):
    application = ApplicationFactory(vacancy=vacancy, selected=True)
    client.force_login(application.job_seeker.user)
    page = client.get(reverse("portal:my_applications")).content.decode()
    assert 'value="accept_offer"' in page and 'value="decline_offer"' in page
    client.post(
        reverse("portal:my_application_move", kwargs={"public_id": application.public_id}),
        {"transition": "accept_offer", "expected_stage": "selected"},
    )
    application.refresh_from_db()
    assert application.stage == Stage.OFFER_ACCEPTED


def test_a_person_withdraws(client, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    client.force_login(application.job_seeker.user)
    client.post(
        reverse("portal:my_application_move", kwargs={"public_id": application.public_id}),
        {"transition": "withdraw", "expected_stage": "applied"},
    )
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_a_person_cannot_make_an_officers_move(client, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    client.force_login(application.job_seeker.user)
    response = client.post(
        reverse("portal:my_application_move", kwargs={"public_id": application.public_id}),
        {"transition": "screen"},
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_someone_elses_application_is_a_404(client, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    other = applicant()
    client.force_login(other.user)
    response = client.post(
        reverse("portal:my_application_move", kwargs={"public_id": application.public_id}),
        {"transition": "withdraw"},
    )
    assert response.status_code == 404
    assert (
        application.public_id.hex
        not in client.get(reverse("portal:my_applications")).content.decode()
    )


def test_the_published_lottery_is_public_without_names(client):
    vacancy = vacancy_with_employer_account(selection_method=SelectionMethod.LOTTERY)
    applications = [ApplicationFactory(vacancy=vacancy) for _ in range(4)]
    officer = UserFactory(role=Role.MINISTRY_OFFICER)
    selection_round = round_draw(actor=officer, vacancy=vacancy, places=2)
    page = reverse("portal:lottery", kwargs={"public_id": selection_round.public_id})
    assert client.get(page).status_code == 404  # a draft is not public
    round_publish(actor=officer, selection_round=selection_round)
    response = client.get(page)
    content = response.content.decode()
    assert response.status_code == 200
    assert selection_round.seed in content
    assert "verify_lottery" in content
    for application in applications:
        assert str(application.public_id) in content
        assert application.job_seeker.last_name not in content
        assert application.job_seeker.registration_number not in content
    english = client.get("/en" + page[3:]).content.decode()
    assert "SHA-256" in english
