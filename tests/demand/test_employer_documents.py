"""Documents attached to foreign employers: who may add, read and remove them, and where they
live."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.demand.enums import EmployerDocumentKind
from gza.demand.models import EmployerDocument
from gza.demand.services import employer_document_add, employer_document_remove
from gza.partners.enums import DocumentLanguage
from tests.core.factories import UserFactory
from tests.demand.factories import EmployerDocumentFactory, ForeignEmployerFactory
from tests.partners.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def pdf(name: str = "Extrait Kbis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def add(actor, employer, upload=None, **fields) -> EmployerDocument:
    return employer_document_add(
        actor=actor,
        employer=employer,
        upload=upload or pdf(),
        kind=fields.get("kind", EmployerDocumentKind.REGISTRATION_CERTIFICATE),
        language=fields.get("language", DocumentLanguage.OTHER),
        title=fields.get("title", "Extrait Kbis"),
    )


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def own_user(employer):
    return UserFactory(role=Role.EMPLOYER, organisation=employer.organisation)


def test_the_embassy_of_the_employers_country_attaches_a_document_under_a_random_name():
    officer = UserFactory(embassy_officer=True)  # embassy in France
    document = add(officer, ForeignEmployerFactory())
    assert (document.original_name, document.content_type) == (
        "Extrait Kbis.pdf",
        "application/pdf",
    )
    assert document.size == len(PDF_BYTES)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.uploaded_by == officer
    [path] = stored_files()
    assert path.read_bytes() == PDF_BYTES
    assert "Kbis" not in path.name and path.suffix == ".pdf"
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED, target_id=str(document.pk))
    # The audit trail says what was stored, not what it is called.
    assert "Kbis" not in str(event.payload)
    assert event.payload["sha256"] == document.sha256


def test_another_countrys_embassy_and_a_caseworker_cannot_attach():
    poland = ForeignEmployerFactory(in_poland=True)
    with pytest.raises(DomainError):
        add(UserFactory(embassy_officer=True), poland)
    with pytest.raises(DomainError):
        add(UserFactory(role=Role.CASEWORKER), ForeignEmployerFactory())
    assert not EmployerDocument.objects.exists() and not stored_files()


def test_an_employer_attaches_to_its_own_record_only():
    employer = ForeignEmployerFactory(with_organisation=True)
    user = own_user(employer)
    assert add(user, employer).employer == employer
    with pytest.raises(DomainError):
        add(user, ForeignEmployerFactory(with_organisation=True))
    assert EmployerDocument.objects.count() == 1 and len(stored_files()) == 1


def test_a_disguised_file_is_refused_and_nothing_is_stored():
    html = SimpleUploadedFile("kbis.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        add(UserFactory(), ForeignEmployerFactory(), upload=html)
    assert refused.value.error_dict["upload"][0].code == "type_not_allowed"
    assert not EmployerDocument.objects.exists() and not stored_files()


def test_a_failing_audit_leaves_no_file_on_disk(monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("gza.demand.services.audit_record", fail)
    with pytest.raises(RuntimeError):
        add(UserFactory(), ForeignEmployerFactory())
    assert not EmployerDocument.objects.exists() and not stored_files()


def test_only_editors_of_the_employer_remove_documents():
    document = EmployerDocumentFactory()
    for outsider in [UserFactory(role=Role.CASEWORKER), UserFactory(role=Role.ANALYST)]:
        with pytest.raises(DomainError):
            employer_document_remove(actor=outsider, document=document)
    assert EmployerDocument.objects.exists() and stored_files()


# The pages


def upload_url(employer) -> str:
    return f"/en/workspace/demand/employers/{employer.pk}/documents/"


def remove_url(document) -> str:
    return f"/en/workspace/demand/employer-documents/{document.pk}/remove/"


def form(upload: SimpleUploadedFile, **overrides) -> dict:
    return {
        "title": "Registration certificate",
        "kind": EmployerDocumentKind.REGISTRATION_CERTIFICATE,
        "language": DocumentLanguage.ENGLISH,
        "upload": upload,
        **overrides,
    }


def download(client, document):
    response = client.get(f"/en/workspace/demand/employer-documents/{document.pk}/")
    # Reading the stream to its end closes the file through the test client's wrapper, which
    # keeps the database connection open (response.close() would close it on PostgreSQL).
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_the_embassy_uploads_from_the_employer_page_and_sees_it_listed(client):
    client.force_login(UserFactory(embassy_officer=True))
    employer = ForeignEmployerFactory()
    page = client.get(f"/en/workspace/demand/employers/{employer.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "No documents attached." in page
    response = client.post(upload_url(employer), form(pdf("kbis.pdf")))
    assert response.status_code == 302
    document = EmployerDocument.objects.get()
    assert (document.employer, document.language, document.original_name) == (
        employer,
        "en",
        "kbis.pdf",
    )
    page = client.get(f"/en/workspace/demand/employers/{employer.pk}/").content.decode()
    assert "Registration certificate" in page and document.get_absolute_url() in page


def test_an_employers_own_user_uploads_and_downloads_its_own_documents(client):
    employer = ForeignEmployerFactory(with_organisation=True)
    client.force_login(own_user(employer))
    assert client.post(upload_url(employer), form(pdf())).status_code == 302
    document = EmployerDocument.objects.get(employer=employer)
    response, content = download(client, document)
    assert response.status_code == 200 and content == PDF_BYTES
    # Another employer's documents do not exist for it.
    other = EmployerDocumentFactory(employer=ForeignEmployerFactory(with_organisation=True))
    assert download(client, other)[0].status_code == 404
    assert client.post(upload_url(other.employer), form(pdf())).status_code == 404


def test_another_countrys_embassy_gets_404(client):
    client.force_login(UserFactory(embassy_officer=True))
    document = EmployerDocumentFactory(employer=ForeignEmployerFactory(in_poland=True))
    response, _ = download(client, document)
    assert response.status_code == 404
    assert client.post(upload_url(document.employer), form(pdf())).status_code == 404
    assert client.post(remove_url(document)).status_code == 404
    assert EmployerDocument.objects.count() == 1
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORTED).exists()


def test_a_caseworker_downloads_but_cannot_upload_or_remove(client):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    document = EmployerDocumentFactory()
    assert client.post(upload_url(document.employer), form(pdf())).status_code == 403
    page = client.get(document.employer.get_absolute_url()).content.decode()
    assert "multipart/form-data" not in page and document.title in page
    response, content = download(client, document)
    assert response.status_code == 200 and content == PDF_BYTES
    assert client.post(remove_url(document)).status_code == 403
    assert EmployerDocument.objects.count() == 1


def test_a_disguised_upload_is_explained_on_the_page_and_nothing_is_stored(client):
    client.force_login(UserFactory())
    employer = ForeignEmployerFactory()
    exe = SimpleUploadedFile("kbis.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post(upload_url(employer), form(exe)).content.decode()
    assert "This type of file is not accepted here." in page
    assert not EmployerDocument.objects.exists() and not stored_files()


def test_a_download_is_an_audited_attachment_of_the_detected_type(client):
    reader = UserFactory(embassy_officer=True)
    client.force_login(reader)
    document = EmployerDocumentFactory(original_name="Extrait Kbis.pdf")
    response, _ = download(client, document)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb=AuditVerb.EXPORTED)
    assert (event.actor, event.target_id) == (reader, str(document.pk))
    assert event.payload == {"employer": document.employer_id, "sha256": document.sha256}


def test_an_editor_removes_a_document_and_its_file_goes_after_commit(client):
    document = EmployerDocumentFactory()
    path = Path(document.file.path)
    assert path.exists()
    client.force_login(UserFactory(embassy_officer=True))
    assert client.get(remove_url(document)).status_code == 405
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(remove_url(document))
    assert response.status_code == 302
    assert not EmployerDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATED, target_id=str(document.employer_id))
    assert event.payload["document_removed"]["id"] == document.pk
