"""The job seeker's profile wizard and documents on the portal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from gza.core.enums import AccessAction
from gza.core.models import AccessLogEntry
from gza.registry.enums import ProfileStep
from gza.registry.models import JobSeekerDocument
from tests.core.factories import UserFactory
from tests.partners.factories import PDF_BYTES
from tests.registry.factories import JobSeekerDocumentFactory, JobSeekerFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english():
    # URLs carry the language (/en/...): tests that read English text use English pages.
    with translation.override("en"):
        yield


@pytest.fixture
def person(client):
    user = UserFactory(job_seeker=True)
    client.force_login(user)
    return JobSeekerFactory(user=user)


def step_url(step: str) -> str:
    return reverse("portal:profile_step", kwargs={"step": step})


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def test_the_wizard_resumes_where_the_person_left(client, person):
    assert client.get(reverse("portal:profile")).url == step_url(ProfileStep.IDENTITY)
    person.profile_step = ProfileStep.LANGUAGES
    person.save()
    assert client.get(reverse("portal:profile")).url == step_url(ProfileStep.LANGUAGES)
    page = client.get(step_url(ProfileStep.LANGUAGES), **EN).content.decode()
    assert "Step 5 of 8" in page and "<progress" in page
    assert "Save and leave" in page and "Save and continue" in page


def test_save_and_continue_moves_on_and_save_and_leave_goes_home(client, person):
    data = management("languages", 2) | {
        "languages-0-language": "pl",
        "languages-0-level": "A2",
        "continue": "",
    }
    response = client.post(step_url(ProfileStep.LANGUAGES), data)
    assert response.url == step_url(ProfileStep.SKILLS)
    assert list(person.language_skills.values_list("language_id", flat=True)) == ["pl"]
    data = management("education", 2) | {"education-0-isced_level": "3", "leave": ""}
    response = client.post(step_url(ProfileStep.EDUCATION), data)
    assert response.url == reverse("portal:me")
    person.refresh_from_db()
    assert person.profile_step == ProfileStep.SKILLS
    me = client.get(reverse("portal:me"), **EN).content.decode()
    assert person.registration_number in me and "Continue your profile" in me


def test_find_the_code_offers_isco_suggestions_to_confirm(client, person):
    data = management("occupations", 1) | {
        "occupations-0-occupation_text": "cook",
        "occupations-0-occupation": "",
        "occupations-0-years_experience": "3",
        "suggest": "",
    }
    page = client.post(step_url(ProfileStep.OCCUPATIONS), data, **EN).content.decode()
    assert 'name="occupations-0-suggested" value="5120"' in page
    assert not person.sought_occupations.exists()
    data |= {"occupations-0-suggested": "5120", "continue": ""}
    del data["suggest"]
    response = client.post(step_url(ProfileStep.OCCUPATIONS), data)
    assert response.status_code == 302
    assert list(person.sought_occupations.values_list("occupation_id", flat=True)) == ["5120"]


def test_an_occupation_without_a_code_is_explained(client, person):
    data = management("occupations", 1) | {
        "occupations-0-occupation_text": "cook",
        "occupations-0-occupation": "",
        "occupations-0-years_experience": "3",
    }
    page = client.post(step_url(ProfileStep.OCCUPATIONS), data, **EN).content.decode()
    assert "press “Find the code”" in page
    assert not person.sought_occupations.exists()


def test_latin_letters_in_the_georgian_name_are_refused_on_the_identity_step(client, person):
    data = {
        "first_name": "Nino",
        "last_name": person.last_name,
        "sex": "f",
        "birth_date": "1995-03-08",
        "citizenship": "GE",
        "municipality": "telavi",
        "phone": "599123456",
        "continue": "",
    }
    page = client.post(step_url(ProfileStep.IDENTITY), data, **EN).content.decode()
    assert "Write the name in Georgian letters" in page
    person.refresh_from_db()
    assert person.first_name == "მარიამ"


def test_every_step_renders_in_both_languages(client, person):
    for step in ProfileStep.values:
        for language in ("ka", "en"):
            with translation.override(language):
                assert client.get(step_url(step)).status_code == 200
    assert client.get(step_url("nonsense")).status_code == 404


def test_the_person_uploads_downloads_and_removes_their_document(client, person):
    upload = SimpleUploadedFile("cv.pdf", PDF_BYTES)
    response = client.post(reverse("portal:profile_document_add"), {"kind": "cv", "upload": upload})
    assert response.status_code == 302
    document = JobSeekerDocument.objects.get()
    url = reverse("portal:profile_document", kwargs={"pk": document.pk})
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count() == 1
    client.post(reverse("portal:profile_document_remove", kwargs={"pk": document.pk}))
    assert not JobSeekerDocument.objects.exists()


def test_a_disguised_executable_is_refused_with_a_clear_message(client, person):
    exe = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    url = reverse("portal:profile_document_add")
    page = client.post(url, {"kind": "cv", "upload": exe}).content.decode()
    assert "This type of file is not accepted here." in page
    assert not JobSeekerDocument.objects.exists()


def test_another_persons_document_is_a_404(client, person):
    other = JobSeekerDocumentFactory()
    assert (
        client.get(reverse("portal:profile_document", kwargs={"pk": other.pk})).status_code == 404
    )
    remove = reverse("portal:profile_document_remove", kwargs={"pk": other.pk})
    assert client.post(remove).status_code == 404
    assert JobSeekerDocument.objects.count() == 1
