"""Officers' side of the registry: assisted registration, editing, documents, the whole record."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.registry.enums import ConsentPurpose, RegistrationChannel
from gza.registry.models import Consent, ConsentText, JobSeeker, JobSeekerDocument
from tests.core.factories import UserFactory
from tests.partners.factories import PDF_BYTES
from tests.registry.factories import (
    ConsentTextFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db

IDENTITY = {
    "personal_number": "01001012345",
    "first_name": "გიორგი",
    "last_name": "ცხვედიანი",
    "sex": "m",
    "birth_date": "1990-05-01",
    "citizenship": "GE",
    "municipality": "telavi",
    "phone": "599 12 34 56",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_an_officer_registers_a_person_with_the_consents_they_signed(client):
    ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION)
    officer = UserFactory()
    client.force_login(officer)
    data = IDENTITY | {"consents": [ConsentPurpose.REGISTRATION]}
    response = client.post(reverse("workspace:job_seeker_register"), data)
    person = JobSeeker.objects.get()
    assert response.url == person.get_absolute_url()
    assert person.registered_via == RegistrationChannel.ASSISTED
    assert person.last_name_latin == "Tskhvediani"
    assert Consent.objects.get().recorded_by == officer


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_name": "Giorgi"}, "Write the name in Georgian letters"),
        ({"last_name_latin": "ცხვედიანი"}, "Write the name in Latin letters"),
        ({"birth_date": "2099-01-01"}, "The date of birth is in the future."),
        ({"birth_date": "2020-01-01"}, "from the age of 16"),
        ({"phone": "000"}, "Enter a valid phone number"),
        ({"consents": [ConsentPurpose.SURVEYS]}, "must consent to registration"),
    ],
)
def test_bad_registrations_are_explained_and_nothing_is_stored(client, change, message):
    ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION)
    client.force_login(UserFactory())
    data = IDENTITY | {"consents": [ConsentPurpose.REGISTRATION]} | change
    page = client.post(reverse("workspace:job_seeker_register"), data).content.decode()
    assert message in page
    assert not JobSeeker.objects.exists() and not Consent.objects.exists()


def test_a_duplicate_personal_number_is_explained(client):
    ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION)
    JobSeekerFactory(personal_number=IDENTITY["personal_number"])
    client.force_login(UserFactory())
    data = IDENTITY | {"consents": [ConsentPurpose.REGISTRATION]}
    page = client.post(reverse("workspace:job_seeker_register"), data).content.decode()
    assert "A person with this personal number is already registered." in page
    assert JobSeeker.objects.count() == 1


def test_a_missing_consent_text_is_explained(client):
    ConsentText.objects.all().delete()
    client.force_login(UserFactory())
    data = IDENTITY | {"consents": [ConsentPurpose.REGISTRATION]}
    page = client.post(reverse("workspace:job_seeker_register"), data).content.decode()
    assert "There is no text yet for the consent" in page
    assert not JobSeeker.objects.exists()


def test_an_officer_edits_a_section_and_the_change_is_logged(client):
    officer = UserFactory()
    person = JobSeekerFactory()
    client.force_login(officer)
    url = reverse(
        "workspace:job_seeker_edit", kwargs={"public_id": person.public_id, "step": "languages"}
    )
    assert client.get(url).status_code == 200
    data = {
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": "de",
        "languages-0-level": "B2",
    }
    assert client.post(url, data).url == person.get_absolute_url()
    assert list(person.language_skills.values_list("level_id", flat=True)) == ["B2"]
    assert AccessLogEntry.objects.filter(actor=officer, action=AccessAction.CHANGE).exists()


def test_documents_upload_download_logged_and_refusals(client):
    officer = UserFactory()
    person = JobSeekerFactory()
    client.force_login(officer)
    add = reverse("workspace:job_seeker_document_add", kwargs={"public_id": person.public_id})
    exe = SimpleUploadedFile("passport.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post(add, {"kind": "passport", "upload": exe}).content.decode()
    assert "This type of file is not accepted here." in page
    assert not JobSeekerDocument.objects.exists()
    client.post(add, {"kind": "passport", "upload": SimpleUploadedFile("p.pdf", PDF_BYTES)})
    document = JobSeekerDocument.objects.get()
    url = reverse(
        "workspace:job_seeker_document",
        kwargs={"public_id": person.public_id, "pk": document.pk},
    )
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    entry = AccessLogEntry.objects.get(action=AccessAction.EXPORT)
    assert (entry.actor, entry.subject_id) == (officer, str(person.pk))
    # Another person's document under this person's id is a 404.
    other = JobSeekerDocumentFactory()
    wrong = reverse(
        "workspace:job_seeker_document", kwargs={"public_id": person.public_id, "pk": other.pk}
    )
    assert client.get(wrong).status_code == 404


def test_scoping_a_caseworker_of_another_organisation_gets_404_an_analyst_403(client):
    document = JobSeekerDocumentFactory()
    person = document.job_seeker
    url = reverse(
        "workspace:job_seeker_document",
        kwargs={"public_id": person.public_id, "pk": document.pk},
    )
    client.force_login(UserFactory(iom_caseworker=True))
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.ANALYST))
    assert client.get(person.get_absolute_url()).status_code == 403
    assert client.get(url).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_the_detail_page_shows_the_whole_profile_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    client.force_login(UserFactory())
    person = JobSeekerFactory()
    url = person.get_absolute_url()
    client.get(url)  # warm up: content types, session

    def fill(rows: slice) -> None:
        for code in ["9211", "5120", "7112", "8322"][rows]:
            SoughtOccupationFactory(job_seeker=person, occupation_id=code)
        for language in ["pl", "de", "en", "ru"][rows]:
            LanguageSkillFactory(job_seeker=person, language_id=language)
            JobSeekerDocumentFactory(job_seeker=person)

    fill(slice(0, 1))
    with django_assert_max_num_queries(30) as captured:
        page = client.get(url).content.decode()
    few = len(captured)
    assert "9211" in page
    fill(slice(1, 4))
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert "8322" in page
