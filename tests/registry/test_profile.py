"""The profile services: assisted registration, identity, the wizard's steps, documents."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone, translation

from gza.core.enums import AccessAction, AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import AccessLogEntry, AuditEvent
from gza.matching.coding import occupation_suggestions
from gza.registry.enums import ConsentPurpose, ProfileStep, RegistrationChannel
from gza.registry.models import (
    Consent,
    ConsentText,
    JobSeeker,
    JobSeekerDocument,
    LanguageSkill,
    SoughtOccupation,
    WorkExperience,
)
from gza.registry.profile import (
    Refusal,
    job_seeker_document_add,
    job_seeker_document_remove,
    job_seeker_profile_finish,
    job_seeker_register_assisted,
    job_seeker_set_languages,
    job_seeker_set_sought_occupations,
    job_seeker_set_work_experience,
    job_seeker_update_identity,
)
from tests.core.factories import UserFactory
from tests.partners.factories import PDF_BYTES
from tests.registry.factories import (
    ConsentTextFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
)

pytestmark = pytest.mark.django_db


def new_person(**fields) -> JobSeeker:
    values = {
        "personal_number": "01001012345",
        "first_name": "გიორგი",
        "last_name": "ცხვედიანი",
        "sex": "m",
        "birth_date": datetime.date(1990, 5, 1),
        "municipality_id": "telavi",
        "phone": "599 12 34 56",
    }
    return JobSeeker(**(values | fields))


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def texts():
    return [ConsentTextFactory(purpose=purpose) for purpose in ConsentPurpose.values]


def test_an_officer_registers_a_person_with_their_consents_and_a_suggested_latin_name(texts):
    officer = UserFactory(role=Role.MINISTRY_OFFICER)
    person = job_seeker_register_assisted(
        actor=officer,
        person=new_person(),
        consents=[ConsentPurpose.REGISTRATION, ConsentPurpose.SURVEYS],
    )
    assert person.registered_via == RegistrationChannel.ASSISTED
    assert person.registered_by_organisation == officer.organisation
    assert (person.first_name_latin, person.last_name_latin) == ("Giorgi", "Tskhvediani")
    assert person.phone == "+995599123456"
    assert len(person.registration_number) == 10
    consents = Consent.objects.filter(job_seeker=person)
    assert {c.purpose for c in consents} == {"registration", "surveys"}
    assert all(c.recorded_by == officer and c.text.version == 1 for c in consents)
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED, target_id=str(person.pk))
    assert "ცხვედიანი" not in str(event.payload) and "01001012345" not in str(event.payload)
    assert AccessLogEntry.objects.filter(action=AccessAction.CHANGE).count() == 1


def test_registration_without_a_published_consent_text_is_refused_clearly():
    ConsentText.objects.all().delete()
    with pytest.raises(DomainError) as refusal:
        job_seeker_register_assisted(
            actor=UserFactory(), person=new_person(), consents=[ConsentPurpose.REGISTRATION]
        )
    assert refusal.value.message == Refusal.CONSENT_TEXT_MISSING
    assert not JobSeeker.objects.exists()


def test_registration_needs_the_registration_consent_and_the_right(texts):
    with pytest.raises(ValidationError):
        job_seeker_register_assisted(
            actor=UserFactory(), person=new_person(), consents=[ConsentPurpose.SURVEYS]
        )
    with pytest.raises(DomainError):
        job_seeker_register_assisted(
            actor=UserFactory(role=Role.ANALYST),
            person=new_person(),
            consents=[ConsentPurpose.REGISTRATION],
        )
    assert not JobSeeker.objects.exists() and not Consent.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"first_name": "Giorgi"}, "first_name", "Write the name in Georgian letters"),
        ({"first_name_latin": "გიორგი"}, "first_name_latin", "Write the name in Latin letters"),
        ({"birth_date": datetime.date(2030, 1, 1)}, "birth_date", "in the future"),
        ({"birth_date": datetime.date(2015, 1, 1)}, "birth_date", "from the age of 16"),
        ({"phone": "12345"}, "phone", "Enter a valid phone number"),
        ({"personal_number": "123"}, "personal_number", "exactly 11 digits"),
    ],
)
def test_bad_identity_is_refused_with_a_clear_message_and_nothing_stored(
    texts, fields, field, message
):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        job_seeker_register_assisted(
            actor=UserFactory(),
            person=new_person(**fields),
            consents=[ConsentPurpose.REGISTRATION],
        )
    with translation.override("en"):
        assert message in " ".join(error.value.message_dict[field])
    assert not JobSeeker.objects.exists() and not Consent.objects.exists()


def test_a_duplicate_personal_number_is_refused_and_nothing_is_stored(texts):
    JobSeekerFactory(personal_number="01001012345")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        job_seeker_register_assisted(
            actor=UserFactory(), person=new_person(), consents=[ConsentPurpose.REGISTRATION]
        )
    with translation.override("en"):
        assert error.value.message_dict["personal_number"] == [
            "A person with this personal number is already registered."
        ]
    assert JobSeeker.objects.count() == 1 and not Consent.objects.exists()


def test_the_person_edits_their_identity_but_not_their_personal_number():
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user, first_name_latin="", last_name_latin="")
    person.first_name = "ნინო"
    person = job_seeker_update_identity(actor=user, person=person)
    assert person.first_name_latin == "Nino"
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATED, target_id=str(person.pk))
    assert event.payload["changes"]["first_name"][1] == "ნინო"
    # The person's own edit is not a staff access.
    assert not AccessLogEntry.objects.exists()
    assert person.profile_step == ProfileStep.EDUCATION
    person.personal_number = "99999999999"
    with pytest.raises(ValidationError) as error:
        job_seeker_update_identity(actor=user, person=person)
    assert "personal_number" in error.value.message_dict
    person.refresh_from_db()
    assert person.personal_number != "99999999999"


def test_a_staff_edit_is_audited_and_logged_as_a_change():
    officer = UserFactory()
    person = JobSeekerFactory()
    person.personal_number = "12345678901"
    job_seeker_update_identity(actor=officer, person=person)
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.action) == (officer, AccessAction.CHANGE)


def test_someone_else_cannot_edit_and_a_caseworker_without_the_right_neither():
    person = JobSeekerFactory()
    for actor in (UserFactory(job_seeker=True), UserFactory(iom_caseworker=True)):
        with pytest.raises(DomainError):
            job_seeker_update_identity(actor=actor, person=person)


def test_occupations_are_replaced_as_a_list_and_the_wizard_moves_on():
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user, profile_step=ProfileStep.OCCUPATIONS)
    job_seeker_set_sought_occupations(
        actor=user,
        person=person,
        rows=[
            SoughtOccupation(occupation_id="9211", years_experience=3),
            SoughtOccupation(occupation_id="5120", years_experience=1),
        ],
    )
    job_seeker_set_sought_occupations(
        actor=user, person=person, rows=[SoughtOccupation(occupation_id="5120", years_experience=4)]
    )
    assert list(person.sought_occupations.values_list("occupation_id", "years_experience")) == [
        ("5120", 4)
    ]
    person.refresh_from_db()
    assert person.profile_step == ProfileStep.LANGUAGES
    # Saving an earlier step again does not move the bookmark back.
    job_seeker_set_sought_occupations(actor=user, person=person, rows=[])
    person.refresh_from_db()
    assert person.profile_step == ProfileStep.LANGUAGES


def test_a_repeated_language_or_a_broad_isco_group_is_refused_and_nothing_changes():
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user)
    LanguageSkill.objects.create(job_seeker=person, language_id="de", level_id="B1")
    with pytest.raises(ValidationError):
        job_seeker_set_languages(
            actor=user,
            person=person,
            rows=[
                LanguageSkill(language_id="pl", level_id="A2"),
                LanguageSkill(language_id="pl", level_id="B1"),
            ],
        )
    with pytest.raises(ValidationError):
        job_seeker_set_sought_occupations(
            actor=user, person=person, rows=[SoughtOccupation(occupation_id="91")]
        )
    assert list(person.language_skills.values_list("language_id", flat=True)) == ["de"]


def test_work_experience_keeps_jobs_from_placements_and_checks_dates():
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user)
    WorkExperience.objects.create(
        job_seeker=person,
        occupation_text="კრეფა",
        start_date=datetime.date(2024, 5, 1),
        from_placement=True,
    )
    with pytest.raises(ValidationError):
        job_seeker_set_work_experience(
            actor=user,
            person=person,
            rows=[
                WorkExperience(
                    occupation_text="მზარეული",
                    start_date=datetime.date(2020, 1, 1),
                    end_date=datetime.date(2019, 1, 1),
                )
            ],
        )
    job_seeker_set_work_experience(
        actor=user,
        person=person,
        rows=[
            WorkExperience(
                occupation_text="მზარეული",
                occupation_id="5120",
                start_date=datetime.date(2020, 1, 1),
            )
        ],
    )
    assert sorted(person.work_experience.values_list("from_placement", flat=True)) == [
        False,
        True,
    ]


def test_finishing_the_last_step_completes_the_profile():
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user, profile_step=ProfileStep.DOCUMENTS)
    person = job_seeker_profile_finish(actor=user, person=person)
    assert person.profile_completed_at is not None
    assert person.profile_completed_at <= timezone.now()


def test_isco_suggestions_come_from_the_taxonomy_in_either_language():
    assert "5120" in [o.code for o in occupation_suggestions("cook")]
    assert all(len(o.code) == 4 for o in occupation_suggestions("მზარეული"))
    assert occupation_suggestions("  ") == []


def test_a_document_is_stored_privately_and_a_disguised_or_oversized_one_refused(settings):
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user)
    document = job_seeker_document_add(
        actor=user,
        person=person,
        upload=SimpleUploadedFile("ჩემი CV.pdf", PDF_BYTES),
        kind="cv",
    )
    assert document.content_type == "application/pdf"
    [path] = stored_files()
    assert "CV" not in path.name
    exe = SimpleUploadedFile("diploma.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        job_seeker_document_add(actor=user, person=person, upload=exe, kind="diploma")
    with translation.override("en"):
        assert "not accepted" in error.value.message_dict["upload"][0]
    settings.UPLOAD_MAX_MB = 0
    with pytest.raises(ValidationError) as error:
        job_seeker_document_add(
            actor=user, person=person, upload=SimpleUploadedFile("a.pdf", PDF_BYTES), kind="cv"
        )
    assert error.value.error_dict["upload"][0].code == "too_large"
    assert JobSeekerDocument.objects.count() == 1 and len(stored_files()) == 1


def test_removing_a_document_is_audited_and_the_file_goes_after_commit():
    officer = UserFactory()
    document = JobSeekerDocumentFactory()
    path = Path(document.file.path)
    with TestCase.captureOnCommitCallbacks(execute=True):
        job_seeker_document_remove(actor=officer, document=document)
    assert not path.exists() and not JobSeekerDocument.objects.exists()
    event = AuditEvent.objects.get(target_id=str(document.job_seeker_id))
    assert event.payload["document_removed"]["id"] == document.pk
