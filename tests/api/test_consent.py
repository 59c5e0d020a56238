"""Consent and the eligibility check over the API: the person themself, or an officer scoped
to their remit."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.demand.enums import VacancyStatus
from gza.demand.models import VacancyLanguage
from gza.registry.consent import ensure_consent_texts
from gza.registry.models import JobSeeker
from tests.core.factories import UserFactory
from tests.demand.factories import VacancyFactory
from tests.registry.factories import JobSeekerFactory, LanguageSkillFactory

pytestmark = pytest.mark.django_db
CONSENTS = "/api/v1/me/consents/"
CHECK = "/api/v1/eligibility/check/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def person():
    ensure_consent_texts()
    return JobSeekerFactory(user=UserFactory(job_seeker=True))


def _published():
    today = timezone.localdate()
    vacancy = VacancyFactory(
        status=VacancyStatus.PUBLISHED,
        application_deadline=today + datetime.timedelta(days=20),
        start_date=today + datetime.timedelta(days=40),
    )
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")
    return vacancy


def test_a_person_reads_and_sets_their_consents(api, person):
    api.force_authenticate(person.user)
    listed = api.get(CONSENTS).json()
    assert [row["purpose"] for row in listed] == [
        "registration",
        "employer_sharing",
        "surveys",
        "partner_exchange",
    ]
    assert listed[1]["given"] is False and listed[1]["given_at"] is None
    given = api.post(CONSENTS, {"purpose": "employer_sharing", "action": "give"}, format="json")
    assert given.status_code == 200
    assert given.json()[1]["given"] is True and given.json()[1]["version"] == 1
    assert person in JobSeeker.objects.shareable_with_employers()
    api.post(CONSENTS, {"purpose": "employer_sharing", "action": "withdraw"}, format="json")
    assert person not in JobSeeker.objects.shareable_with_employers()


def test_withdrawing_registration_is_refused_with_the_reason(api, person):
    api.force_authenticate(person.user)
    api.post(CONSENTS, {"purpose": "registration", "action": "give"}, format="json")
    response = api.post(
        CONSENTS,
        {"purpose": "registration", "action": "withdraw"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "ask for your record to be deleted" in str(response.json()["error"]["fields"])


def test_staff_have_no_own_consents(api):
    api.force_authenticate(UserFactory())
    assert api.get(CONSENTS).status_code == 403


def test_an_officer_reads_a_persons_consents_and_is_logged(api, person):
    officer = UserFactory(role=Role.MINISTRY_OFFICER)
    api.force_authenticate(officer)
    url = f"/api/v1/job-seekers/{person.public_id}/consents/"
    assert api.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(actor=officer, action=AccessAction.VIEW).exists()
    recorded = api.post(url, {"purpose": "surveys", "action": "give"}, format="json")
    assert recorded.status_code == 200
    assert person.consents.get().recorded_by == officer


def test_a_person_outside_the_remit_is_not_found(api, person):
    caseworker = UserFactory(iom_caseworker=True)  # sees only the people IOM registered
    api.force_authenticate(caseworker)
    assert api.get(f"/api/v1/job-seekers/{person.public_id}/consents/").status_code == 404


def test_a_caseworker_records_consent_only_for_people_in_their_remit(api, person):
    caseworker = UserFactory(iom_caseworker=True)
    api.force_authenticate(caseworker)
    url = f"/api/v1/job-seekers/{person.public_id}/consents/"
    # Someone another organisation registered is outside an IOM caseworker's remit.
    assert api.get(url).status_code == 404
    assert api.post(url, {"purpose": "surveys", "action": "give"}, format="json").status_code == 404
    person.registered_by_organisation = caseworker.organisation
    person.save()
    assert api.get(url).status_code == 200
    assert api.post(url, {"purpose": "surveys", "action": "give"}, format="json").status_code == 200


def test_an_analyst_sees_no_one(api, person):
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    assert api.get(f"/api/v1/job-seekers/{person.public_id}/consents/").status_code == 403


def test_a_person_checks_themself(api, person):
    LanguageSkillFactory(job_seeker=person, level_id="A2")
    vacancy = _published()
    api.force_authenticate(person.user)
    response = api.post(CHECK, {"vacancy": vacancy.pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "failed"
    assert body["results"] == [
        {
            "kind": "language",
            "rule": "Polish at B1 or above",
            "source": "vacancy_requirement",
            "outcome": "failed",
            "message": "You need Polish at B1; your profile says A2.",
        }
    ]


def test_a_person_cannot_check_someone_else_or_a_draft(api, person):
    api.force_authenticate(person.user)
    other = JobSeekerFactory()
    vacancy = _published()
    response = api.post(
        CHECK, {"vacancy": vacancy.pk, "job_seeker": str(other.public_id)}, format="json"
    )
    assert response.status_code == 403
    draft = VacancyFactory()
    assert api.post(CHECK, {"vacancy": draft.pk}, format="json").status_code == 404


def test_an_officer_checks_a_person_in_their_remit(api, person):
    officer = UserFactory(role=Role.MINISTRY_OFFICER)
    api.force_authenticate(officer)
    vacancy = VacancyFactory()  # a draft: officers may check against any vacancy they see
    response = api.post(
        CHECK, {"vacancy": vacancy.pk, "job_seeker": str(person.public_id)}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["outcome"] == "passed"
    assert AccessLogEntry.objects.filter(actor=officer, purpose="eligibility").exists()
    assert api.post(CHECK, {"vacancy": vacancy.pk}, format="json").status_code == 403
