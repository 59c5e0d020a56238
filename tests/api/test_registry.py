"""Job seekers' profiles and documents over the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from gza.core.enums import AccessAction, Role
from gza.core.models import AccessLogEntry
from gza.registry.enums import ConsentPurpose
from gza.registry.models import JobSeeker, JobSeekerDocument
from tests.core.factories import UserFactory
from tests.partners.factories import PDF_BYTES
from tests.registry.factories import (
    ConsentTextFactory,
    JobSeekerDocumentFactory,
    JobSeekerFactory,
)

pytestmark = pytest.mark.django_db

PERSON = {
    "personal_number": "01001012345",
    "first_name": "გიორგი",
    "last_name": "ცხვედიანი",
    "sex": "m",
    "birth_date": "1990-05-01",
    "citizenship": "GE",
    "municipality": "telavi",
    "phone": "+995599123456",
    "consents": ["registration"],
}


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def url(person, suffix: str = "") -> str:
    return f"/api/v1/job-seekers/{person.public_id}/{suffix}"


def test_an_officer_registers_a_person_and_reads_the_profile(api):
    ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION)
    api.force_authenticate(UserFactory())
    created = api.post("/api/v1/job-seekers/", PERSON, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["last_name_latin"] == "Tskhvediani"
    assert len(body["registration_number"]) == 10
    person = JobSeeker.objects.get()
    read = api.get(url(person))
    assert read.status_code == 200
    assert AccessLogEntry.objects.filter(action=AccessAction.VIEW).count() == 1


def test_bad_input_gets_the_one_error_format_and_nothing_is_stored(api):
    ConsentTextFactory(purpose=ConsentPurpose.REGISTRATION)
    JobSeekerFactory(personal_number="01001012345")
    api.force_authenticate(UserFactory())
    response = api.post("/api/v1/job-seekers/", PERSON | {"first_name": "Giorgi"}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "personal_number" in error["fields"] and "first_name" in error["fields"]
    assert JobSeeker.objects.count() == 1


def test_the_person_patches_their_profile_with_nested_items(api):
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user)
    api.force_authenticate(user)
    response = api.patch(
        url(person),
        {
            "languages": [{"language": "pl", "level": "B1"}],
            "sought_occupations": [{"occupation": "9211", "years_experience": 4}],
            "desired_countries": ["PL", "DE"],
            "work_pattern": "seasonal",
            "driving_licences": "B",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["languages"] == [{"language": "pl", "level": "B1", "certificate": ""}]
    assert sorted(body["desired_countries"]) == ["DE", "PL"]
    assert body["driving_licences"] == "B"
    # The person's own reads are logged as such.
    assert AccessLogEntry.objects.filter(purpose="self").exists()


def test_a_bad_nested_item_stores_nothing(api):
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user)
    api.force_authenticate(user)
    response = api.patch(
        url(person),
        {
            "languages": [{"language": "pl", "level": "B1"}],
            "sought_occupations": [{"occupation": "91", "years_experience": 1}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert not person.language_skills.exists()


def test_scoping_404_for_another_organisations_caseworker_403_for_an_analyst(api):
    person = JobSeekerFactory()
    api.force_authenticate(UserFactory(iom_caseworker=True))
    assert api.get(url(person)).status_code == 404
    api.force_authenticate(UserFactory(role=Role.ANALYST))
    response = api.get(url(person))
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    # A caseworker keeps the profiles of the people their organisation registered.
    caseworker = UserFactory(iom_caseworker=True)
    own = JobSeekerFactory(registered_by_organisation=caseworker.organisation)
    api.force_authenticate(caseworker)
    assert api.get(url(own)).status_code == 200
    assert api.patch(url(own), {"work_pattern": "seasonal"}, format="json").status_code == 200


def test_documents_upload_list_and_logged_download(api):
    user = UserFactory(job_seeker=True)
    person = JobSeekerFactory(user=user)
    api.force_authenticate(user)
    exe = SimpleUploadedFile("cv.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    refused = api.post(url(person, "documents/"), {"kind": "cv", "file": exe})
    assert refused.status_code == 400
    assert "not accepted" in refused.json()["error"]["fields"]["file"][0]
    created = api.post(
        url(person, "documents/"), {"kind": "cv", "file": SimpleUploadedFile("cv.pdf", PDF_BYTES)}
    )
    assert created.status_code == 201
    listing = api.get(url(person, "documents/")).json()
    assert [d["id"] for d in listing] == [created.json()["id"]]
    response = api.get(url(person, f"documents/{created.json()['id']}/file"))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert AccessLogEntry.objects.filter(action=AccessAction.EXPORT).count() == 1
    other = JobSeekerDocumentFactory()
    assert api.get(url(person, f"documents/{other.pk}/file")).status_code == 404
    assert JobSeekerDocument.objects.count() == 2


def test_the_schema_describes_the_endpoints(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert "/api/v1/job-seekers/{public_id}/" in paths
    assert "/api/v1/job-seekers/{public_id}/documents/{id}/file" in paths or (
        "/api/v1/job-seekers/{public_id}/documents/{pk}/file" in paths
    )
