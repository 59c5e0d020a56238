"""The job seeker's consents, privacy page and eligibility self-check on the portal."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from gza.core.enums import AccessAction, AuditVerb
from gza.core.models import AccessLogEntry, AuditEvent
from gza.demand.enums import VacancyStatus
from gza.demand.models import VacancyLanguage
from gza.registry.consent import consent_give, ensure_consent_texts
from gza.registry.enums import ConsentPurpose, DeletionRequestStatus
from gza.registry.models import DeletionRequest, JobSeeker
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import VacancyFactory
from tests.registry.factories import (
    JobSeekerDocumentFactory,
    JobSeekerFactory,
    LanguageSkillFactory,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def person():
    ensure_consent_texts()
    person = JobSeekerFactory(user=UserFactory(job_seeker=True), phone="+995599123456")
    return person


@pytest.fixture
def signed_in(client, person):
    client.force_login(person.user)
    return client


def en(name: str, **kwargs) -> str:
    return "/en" + reverse(name, kwargs=kwargs)[3:]


# Consents -----------------------------------------------------------------------------------


def test_the_consent_page_shows_each_purpose_with_its_text(signed_in, person):
    consent_give(person=person, purpose=ConsentPurpose.REGISTRATION, actor=person.user)
    response = signed_in.get(en("portal:consents"), **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sharing the profile with foreign employers" in page
    assert "Given on" in page and "to version 1" in page
    assert "ask for your record to be deleted" in page  # no withdraw button for registration


def test_the_consent_page_in_georgian(signed_in):
    response = signed_in.get(reverse("portal:consents"))
    assert response.status_code == 200
    assert "ვეთანხმები" in response.content.decode()


def test_giving_and_withdrawing_sharing_consent(signed_in, person):
    response = signed_in.post(
        reverse("portal:consent_give", kwargs={"purpose": "employer_sharing"})
    )
    assert response.status_code == 302
    assert person in JobSeeker.objects.shareable_with_employers()
    url = en("portal:consent_withdraw", purpose="employer_sharing")
    confirm = signed_in.get(url, **EN)
    assert confirm.status_code == 200
    assert "no foreign employer or agency will see your profile" in confirm.content.decode()
    assert person in JobSeeker.objects.shareable_with_employers()  # a GET changes nothing
    signed_in.post(url)
    assert person not in JobSeeker.objects.shareable_with_employers()


def test_withdrawing_registration_leads_to_the_deletion_request(signed_in, person):
    consent_give(person=person, purpose=ConsentPurpose.REGISTRATION, actor=person.user)
    url = reverse("portal:consent_withdraw", kwargs={"purpose": "registration"})
    response = signed_in.post(url)
    assert response.status_code == 302
    assert response.url == reverse("portal:privacy")
    assert person.consents.get().withdrawn_at is None


def test_giving_is_a_post_only(signed_in):
    url = reverse("portal:consent_give", kwargs={"purpose": "surveys"})
    assert signed_in.get(url).status_code == 405


def test_an_unknown_purpose_is_not_found(signed_in):
    url = reverse("portal:consent_give", kwargs={"purpose": "marketing"})
    assert signed_in.post(url).status_code == 404


def test_staff_are_sent_to_the_workspace(client):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:privacy")).url == reverse("workspace:home")


# Privacy page -------------------------------------------------------------------------------


def test_access_history_shows_the_officers_organisation_not_the_officer(client, signed_in, person):
    organisation = OrganisationFactory(name_en="State Employment Agency Telavi")
    officer = UserFactory(organisation=organisation, full_name="Officer Nino Beridze")
    officer_client = client.__class__()
    officer_client.force_login(officer)
    detail = reverse("workspace:job_seeker_detail", kwargs={"public_id": person.public_id})
    assert officer_client.get(detail).status_code == 200

    signed_in.get(reverse("portal:me"))  # the person's own view is not listed
    response = signed_in.get(en("portal:privacy"), **EN)
    page = response.content.decode()
    assert "State Employment Agency Telavi" in page
    assert "Viewed" in page
    assert "Nino Beridze" not in page
    assert page.count("<td><time") == 1


def test_access_to_a_document_counts_too(signed_in, person):
    document = JobSeekerDocumentFactory(job_seeker=person)
    officer = UserFactory(organisation=OrganisationFactory(name_en="Service Centre Batumi"))
    AccessLogEntry.objects.create(
        actor=officer,
        action=AccessAction.VIEW,
        subject_type_id=_content_type(document),
        subject_id=str(document.pk),
    )
    assert "Service Centre Batumi" in signed_in.get(en("portal:privacy"), **EN).content.decode()


def _content_type(instance) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(instance).pk


def test_the_history_page_takes_a_fixed_number_of_queries(
    signed_in, person, django_assert_max_num_queries
):
    for _ in range(5):
        AccessLogEntry.objects.create(
            actor=UserFactory(),
            action=AccessAction.VIEW,
            subject_type_id=_content_type(person),
            subject_id=str(person.pk),
        )
    # 11, and on PostgreSQL the request's own transaction adds its savepoint and release.
    with django_assert_max_num_queries(13):
        assert signed_in.get(reverse("portal:privacy")).status_code == 200


def test_download_gives_the_persons_data_and_logs_an_export(signed_in, person):
    LanguageSkillFactory(job_seeker=person)
    JobSeekerDocumentFactory(job_seeker=person)
    consent_give(person=person, purpose=ConsentPurpose.SURVEYS, actor=person.user)
    response = signed_in.post(reverse("portal:privacy_download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["identity"]["personal_number"] == person.personal_number
    assert data["identity"]["first_name"] == "მარიამ"
    assert data["identity"]["phone"] == "+995599123456"
    assert data["profile"]["languages"] == [{"language": "pl", "level": "A2", "certificate": ""}]
    assert data["consents"][0]["purpose"] == "surveys"
    assert data["documents"][0]["file_name"] == "cv.pdf"
    export = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert export.actor == person.user and export.subject_id == str(person.pk)
    assert AuditEvent.objects.filter(verb=AuditVerb.EXPORTED, target_id=str(person.pk)).exists()
    # The person's own export is listed, as "you".
    page = signed_in.get(en("portal:privacy"), **EN).content.decode()
    assert "Exported" in page and ">you<" in page


def test_download_is_a_post(signed_in):
    assert signed_in.get(reverse("portal:privacy_download")).status_code == 405


def test_a_deletion_request_is_made_once(signed_in, person):
    url = en("portal:deletion_request")
    response = signed_in.post(url, {"reason": "I work at home now."})
    assert response.status_code == 302
    request = DeletionRequest.objects.get()
    assert request.status == DeletionRequestStatus.OPEN
    assert request.registration_number == person.registration_number
    again = signed_in.post(url, {"reason": ""}, follow=True, **EN)
    assert "You have already asked for your record to be deleted" in again.content.decode()
    assert DeletionRequest.objects.count() == 1
    page = signed_in.get(en("portal:privacy"), **EN).content.decode()
    assert "The ministry has not decided yet." in page


# Eligibility --------------------------------------------------------------------------------


def _published(**fields):
    today = timezone.localdate()
    return VacancyFactory(
        status=VacancyStatus.PUBLISHED,
        application_deadline=today + datetime.timedelta(days=20),
        start_date=today + datetime.timedelta(days=40),
        **fields,
    )


def test_the_self_check_lists_published_vacancies_and_says_what_is_missing(signed_in, person):
    vacancy = _published()
    draft = VacancyFactory(title_en="Draft job")
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")
    LanguageSkillFactory(job_seeker=person, level_id="A2")
    listing = signed_in.get(en("portal:eligibility"), **EN).content.decode()
    assert "Fruit picker" in listing and "Draft job" not in listing
    response = signed_in.get(en("portal:eligibility_check", pk=vacancy.pk), **EN)
    page = response.content.decode()
    assert "You need Polish at B1; your profile says A2." in page
    assert "You do not meet every condition yet." in page
    assert (
        signed_in.get(reverse("portal:eligibility_check", kwargs={"pk": draft.pk})).status_code
        == 404
    )


def test_the_self_check_in_georgian(signed_in, person):
    vacancy = _published()
    VacancyLanguage.objects.create(vacancy=vacancy, language_id="pl", min_level_id="B1")
    response = signed_in.get(reverse("portal:eligibility_check", kwargs={"pk": vacancy.pk}))
    assert response.status_code == 200
    assert "პოლონური" in response.content.decode()
