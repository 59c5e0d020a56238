"""The ministry's deletion queue and decisions; and the eligibility rules pages."""

import datetime

import pytest
from django.urls import reverse

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry, AuditEvent, User
from gza.registry.consent import consent_give, ensure_consent_texts
from gza.registry.eligibility import EligibilityRule, RuleKind
from gza.registry.enums import ConsentPurpose, DeletionRequestStatus, RecordStatus
from gza.registry.models import Certificate, Education, JobSeeker, WorkExperience
from gza.registry.privacy import deletion_request_open
from tests.core.factories import UserFactory
from tests.demand.factories import VacancyFactory
from tests.partners.factories import AgreementFactory
from tests.registry.factories import (
    DeletionRequestFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer(client):
    user = UserFactory(role=Role.MINISTRY_OFFICER)
    client.force_login(user)
    return user


@pytest.fixture
def person():
    ensure_consent_texts()
    person = JobSeekerFactory(
        user=UserFactory(job_seeker=True),
        phone="+995599123456",
        email="mariam@example.ge",
        passport_number="12AB34567",
        passport_expiry=datetime.date(2030, 1, 1),
        birth_date=datetime.date(1995, 3, 8),
    )
    consent_give(person=person, purpose=ConsentPurpose.EMPLOYER_SHARING, actor=person.user)
    SoughtOccupationFactory(job_seeker=person)
    LanguageSkillFactory(job_seeker=person, certificate="Polish B1, 2024")
    Education.objects.create(
        job_seeker=person, isced_level_id="3", field="Agronomy", institution="Telavi College"
    )
    WorkExperience.objects.create(
        job_seeker=person,
        employer="Vineyard Ltd",
        occupation_text="vine pruner",
        occupation_id="9211",
        start_date=datetime.date(2020, 1, 1),
        tasks="Pruning",
    )
    Certificate.objects.create(job_seeker=person, name="First aid")
    JobSeekerDocumentFactory(job_seeker=person)
    return person


def test_the_queue_lists_open_requests_without_names(client, officer, person):
    deletion_request_open(person=person, actor=person.user, reason="")
    response = client.get(reverse("workspace:deletion_request_list"), **EN)
    page = response.content.decode()
    assert person.registration_number in page
    assert person.last_name not in page


def test_the_queue_is_for_the_ministry_only(client):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    assert client.get(reverse("workspace:deletion_request_list")).status_code == 403


def test_carrying_out_erases_personal_data_and_keeps_statistics(
    client, officer, person, django_capture_on_commit_callbacks
):
    request = deletion_request_open(person=person, actor=person.user, reason="Done abroad.")
    document_file = person.documents.get().file
    storage, name = document_file.storage, document_file.name
    url = reverse("workspace:deletion_request_detail", kwargs={"pk": request.pk})
    assert person.last_name in client.get(url).content.decode()  # who asked, for the decision
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        response = client.post(url, {"decision": "carry_out", "note": ""})
    assert response.status_code == 302

    request.refresh_from_db()
    assert request.status == DeletionRequestStatus.DONE and request.decided_by == officer
    person = JobSeeker.objects.get(pk=person.pk)
    assert person.status == RecordStatus.ERASED
    assert person.first_name == person.last_name == person.first_name_latin == ""
    assert person.personal_number == f"E{person.registration_number}"
    assert person.phone == person.email == person.passport_number == ""
    assert person.passport_expiry is None and person.user is None
    assert person.birth_date == datetime.date(1995, 1, 1)
    # Non-personal statistics stay.
    assert person.sex == "f" and person.municipality_id == "telavi"
    assert person.sought_occupations.get().occupation_id == "9211"
    assert person.language_skills.get().level_id == "A2"
    assert person.language_skills.get().certificate == ""
    assert person.education.get().isced_level_id == "3" and person.education.get().field == ""
    job = person.work_experience.get()
    assert (job.occupation_id, job.employer, job.tasks) == ("9211", "", "")
    assert not person.certificates.exists()
    assert not person.documents.exists()
    assert not storage.exists(name)
    assert not person.consents.filter(withdrawn_at__isnull=True).exists()
    assert person not in JobSeeker.objects.active()
    assert person not in JobSeeker.objects.shareable_with_employers()
    account = User.objects.get(role=Role.JOB_SEEKER)
    assert not account.is_active and not account.has_usable_password()
    assert account.phone is None and account.full_name == ""
    assert AuditEvent.objects.filter(payload__deletion="carried out").exists()
    assert AccessLogEntry.objects.filter(
        actor=officer, action=AccessAction.CHANGE, purpose="erased"
    ).exists()


def test_refusing_needs_a_reason_the_person_reads(client, officer, person):
    request = deletion_request_open(person=person, actor=person.user)
    url = "/en" + reverse("workspace:deletion_request_detail", kwargs={"pk": request.pk})[3:]
    response = client.post(url, {"decision": "refuse", "note": ""}, **EN)
    assert response.status_code == 200
    assert "Give the reason for refusing the request." in response.content.decode()
    client.post(url, {"decision": "refuse", "note": "Your placement record is kept for 5 years."})
    request.refresh_from_db()
    assert request.status == DeletionRequestStatus.REFUSED
    person.refresh_from_db()
    assert person.status == RecordStatus.ACTIVE and person.last_name

    client.force_login(person.user)
    page = client.get("/en" + reverse("portal:privacy")[3:], **EN).content.decode()
    assert "Your placement record is kept for 5 years." in page


def test_a_decided_request_cannot_be_decided_again(client, officer):
    request = DeletionRequestFactory(status=DeletionRequestStatus.REFUSED, decision_note="No.")
    url = reverse("workspace:deletion_request_detail", kwargs={"pk": request.pk})
    client.post(url, {"decision": "carry_out"})
    request.refresh_from_db()
    assert request.status == DeletionRequestStatus.REFUSED
    assert JobSeeker.objects.get(pk=request.job_seeker_id).status == RecordStatus.ACTIVE


def test_the_detail_page_in_georgian(client, officer):
    request = DeletionRequestFactory()
    url = reverse("workspace:deletion_request_detail", kwargs={"pk": request.pk})
    assert client.get(url).status_code == 200


# Eligibility rules in the workspace ---------------------------------------------------------


def test_the_ministry_adds_and_removes_a_vacancy_rule(client, officer):
    vacancy = VacancyFactory()
    url = reverse("workspace:vacancy_eligibility", kwargs={"pk": vacancy.pk})
    response = client.post(url, {"kind": "age", "min_age": "21", "max_age": "50", "months": "6"})
    assert response.status_code == 302
    rule = EligibilityRule.objects.get()
    assert (rule.vacancy, rule.min_age, rule.max_age, rule.months) == (vacancy, 21, 50, None)
    page = client.get(url, **EN).content.decode()
    assert "Aged 21 to 50" in page
    remove = reverse("workspace:eligibility_rule_remove", kwargs={"pk": rule.pk})
    assert client.post(remove).status_code == 302
    assert not EligibilityRule.objects.exists()


def test_a_rule_without_its_values_is_refused_with_a_message(client, officer):
    vacancy = VacancyFactory()
    url = "/en" + reverse("workspace:vacancy_eligibility", kwargs={"pk": vacancy.pk})[3:]
    response = client.post(url, {"kind": "language", "language": "pl"}, **EN)
    assert response.status_code == 200
    assert "This kind of rule needs this value." in response.content.decode()
    assert not EligibilityRule.objects.exists()


def test_the_vacancy_page_links_to_its_rules_and_shows_its_own_requirements(client, officer):
    vacancy = VacancyFactory(driving_licences="C")
    detail = client.get(reverse("workspace:vacancy_detail", kwargs={"pk": vacancy.pk}))
    rules_url = reverse("workspace:vacancy_eligibility", kwargs={"pk": vacancy.pk})
    assert rules_url in detail.content.decode()
    assert "category C" in client.get(rules_url, **EN).content.decode()


def test_an_agreement_rule_and_who_may_add_it(client, officer):
    agreement = AgreementFactory()
    url = reverse("workspace:agreement_eligibility", kwargs={"pk": agreement.pk})
    client.post(url, {"kind": "no_schengen_stay", "months": "12"})
    assert EligibilityRule.objects.get().agreement == agreement
    analyst = UserFactory(role=Role.ANALYST)
    client.force_login(analyst)
    assert client.get(url).status_code == 200  # reads the rules
    assert client.post(url, {"kind": "age", "min_age": "18"}).status_code == 403
    assert EligibilityRule.objects.count() == 1
    assert EligibilityRule.objects.get().kind == RuleKind.NO_SCHENGEN_STAY
