"""Documents attached to agreements: who may add, read and remove them, and where they live."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import TestCase

import gza.settings as configured
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.partners.enums import AgreementDocumentKind, DocumentLanguage
from gza.partners.models import AgreementDocument
from gza.partners.services import agreement_document_add, agreement_document_remove
from tests.core.factories import UserFactory
from tests.partners.factories import (
    PDF_BYTES,
    AgreementDocumentFactory,
    AgreementFactory,
    PartnerCountryFactory,
)

pytestmark = pytest.mark.django_db


def pdf(name: str = "ხელშეკრულება.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def add(actor, agreement, upload=None, **fields) -> AgreementDocument:
    return agreement_document_add(
        actor=actor,
        agreement=agreement,
        upload=upload or pdf(),
        kind=fields.get("kind", AgreementDocumentKind.AGREEMENT_TEXT),
        language=fields.get("language", DocumentLanguage.GEORGIAN),
        title=fields.get("title", "ხელმოწერილი ტექსტი"),
    )


def stored_files() -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_ministry_officer_attaches_a_document_stored_under_a_random_name():
    officer = UserFactory()
    document = add(officer, AgreementFactory())
    assert document.original_name == "ხელშეკრულება.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.uploaded_by == officer
    [path] = stored_files()
    assert path.read_bytes() == PDF_BYTES
    assert "ხელშეკრულება" not in path.name and path.suffix == ".pdf"
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED, target_id=str(document.pk))
    # The audit trail says what was stored, not what it is called: a title may name a person.
    assert "ხელმოწერილი" not in str(event.payload) and "ხელშეკრულება" not in str(event.payload)
    assert event.payload["sha256"] == document.sha256


def test_the_file_lives_outside_static_and_media_and_has_no_url():
    document = AgreementDocumentFactory()
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError, match="not accessible via a URL"):
        document.file.url  # noqa: B018
    # The configured default, not only the test's folder, is outside the web root too.
    for public in [configured.STATIC_ROOT, configured.MEDIA_ROOT]:
        assert not configured.PRIVATE_MEDIA_ROOT.is_relative_to(public.resolve())


def test_an_embassy_officer_attaches_documents_to_their_own_countrys_agreements_only():
    officer = UserFactory(embassy_officer=True)  # embassy in France
    assert add(officer, AgreementFactory()).agreement.partner.country_id == "FR"
    poland = AgreementFactory(partner=PartnerCountryFactory(country_id="PL"))
    with pytest.raises(DomainError):
        add(officer, poland)
    assert AgreementDocument.objects.count() == 1 and len(stored_files()) == 1


def test_a_caseworker_cannot_attach_a_document():
    with pytest.raises(DomainError):
        add(UserFactory(role=Role.CASEWORKER), AgreementFactory())
    assert not AgreementDocument.objects.exists() and not stored_files()


def test_a_disguised_file_is_refused_on_the_upload_field():
    html = SimpleUploadedFile("text.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        add(UserFactory(), AgreementFactory(), upload=html)
    assert refused.value.error_dict["upload"][0].code == "type_not_allowed"
    assert not stored_files()


@pytest.mark.parametrize("failure", [IntegrityError("disk full"), RuntimeError("audit down")])
def test_a_failing_save_leaves_no_file_on_disk(monkeypatch, failure):
    def fail(**kwargs):
        raise failure

    monkeypatch.setattr("gza.partners.services.audit_record", fail)
    with pytest.raises(type(failure)):
        add(UserFactory(), AgreementFactory())
    assert not AgreementDocument.objects.exists()
    assert not stored_files()


def test_a_removed_document_loses_its_file_once_the_removal_is_committed(
    django_capture_on_commit_callbacks,
):
    document = AgreementDocumentFactory()
    [path] = stored_files()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        agreement_document_remove(actor=UserFactory(embassy_officer=True), document=document)
    assert path.exists()  # not before the commit
    for callback in callbacks:
        callback()
    assert not path.exists()
    assert not AgreementDocument.objects.exists()
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATED, target_id=str(document.agreement_id))
    assert event.payload["document_removed"]["id"] == document.pk


def test_only_editors_of_the_partner_remove_documents():
    document = AgreementDocumentFactory()
    for outsider in [UserFactory(role=Role.CASEWORKER), UserFactory(role=Role.ANALYST)]:
        with pytest.raises(DomainError):
            agreement_document_remove(actor=outsider, document=document)
    assert AgreementDocument.objects.exists() and stored_files()


# The pages


def upload_url(agreement) -> str:
    return f"/en/workspace/agreements/{agreement.pk}/documents/"


def form(upload: SimpleUploadedFile, **overrides) -> dict:
    return {
        "title": "Signed text (English)",
        "kind": AgreementDocumentKind.AGREEMENT_TEXT,
        "language": DocumentLanguage.ENGLISH,
        "upload": upload,
        **overrides,
    }


def download(client, document):
    response = client.get(f"/en/workspace/agreement-documents/{document.pk}/")
    # Reading the stream to its end closes the file through the test client's wrapper, which
    # keeps the database connection open (response.close() would close it on PostgreSQL).
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_an_officer_uploads_from_the_agreement_page_and_sees_it_listed(client):
    client.force_login(UserFactory())
    agreement = AgreementFactory()
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(upload_url(agreement), form(pdf("signed.pdf")))
    assert response.status_code == 302
    document = AgreementDocument.objects.get()
    assert (document.language, document.original_name) == ("en", "signed.pdf")
    page = client.get(f"/en/workspace/agreements/{agreement.pk}/").content.decode()
    assert "Signed text (English)" in page and document.get_absolute_url() in page


def test_a_refused_upload_is_explained_on_the_page(client):
    client.force_login(UserFactory())
    agreement = AgreementFactory()
    exe = SimpleUploadedFile("text.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    page = client.post(upload_url(agreement), form(exe)).content.decode()
    assert "This type of file is not accepted here." in page
    empty = SimpleUploadedFile("text.pdf", b"")
    page = client.post(upload_url(agreement), form(empty, title="")).content.decode()
    assert "This field is required." in page  # the title; Django refuses an empty file too
    assert not AgreementDocument.objects.exists() and not stored_files()


def test_an_oversized_upload_names_the_limit_on_the_page(client, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(UserFactory())
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"\x00" * (1024 * 1024))
    page = client.post(upload_url(AgreementFactory()), form(big)).content.decode()
    assert "files of at most 1 MB are accepted" in page


def test_a_caseworker_cannot_upload_but_can_download(client):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    agreement = AgreementFactory()
    assert client.post(upload_url(agreement), form(pdf())).status_code == 403
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "multipart/form-data" not in page
    document = AgreementDocumentFactory(agreement=agreement)
    response, content = download(client, document)
    assert response.status_code == 200
    assert content == PDF_BYTES


def test_a_download_is_an_attachment_of_the_detected_type_and_is_audited(client):
    reader = UserFactory(embassy_officer=True)
    client.force_login(reader)
    document = AgreementDocumentFactory(original_name="შეთანხმება.pdf")
    response, _ = download(client, document)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb=AuditVerb.EXPORTED)
    assert (event.actor, event.target_id) == (reader, str(document.pk))


def test_a_document_of_another_countrys_agreement_is_not_found_for_an_embassy(client):
    client.force_login(UserFactory(embassy_officer=True))
    poland = AgreementFactory(partner=PartnerCountryFactory(country_id="PL"))
    document = AgreementDocumentFactory(agreement=poland)
    response, _ = download(client, document)
    assert response.status_code == 404
    assert client.post(upload_url(poland), form(pdf())).status_code == 404
    assert not AuditEvent.objects.filter(verb=AuditVerb.EXPORTED).exists()


def test_an_employer_can_neither_upload_nor_download(client):
    client.force_login(UserFactory(role=Role.EMPLOYER))
    document = AgreementDocumentFactory()
    response, _ = download(client, document)
    assert response.status_code == 403  # the role has no right to partner pages at all
    assert client.post(upload_url(document.agreement), form(pdf())).status_code == 403
    assert AgreementDocument.objects.count() == 1


def test_an_editor_removes_a_document_and_its_file_goes_after_commit(client):
    document = AgreementDocumentFactory()
    path = Path(document.file.path)
    assert path.exists()
    client.force_login(UserFactory(embassy_officer=True))
    url = f"/en/workspace/agreement-documents/{document.pk}/remove/"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not AgreementDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()


def test_a_reader_cannot_remove_a_document(client):
    document = AgreementDocumentFactory()
    client.force_login(UserFactory(role="caseworker"))
    url = f"/en/workspace/agreement-documents/{document.pk}/remove/"
    assert client.post(url).status_code == 403
    assert AgreementDocument.objects.filter(pk=document.pk).exists()
