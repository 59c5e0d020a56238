"""Uploads are recognised by their content; disguised, empty and oversized files are refused."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gza.core.uploads import (
    DOCUMENTS,
    IMAGES,
    MB,
    TYPES,
    PrivateStorage,
    check_upload,
    safe_filename,
)
from tests.partners.factories import PDF_BYTES

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def _zip(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in parts.items():
            # ODF asks for the mimetype part first and uncompressed.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(name, text, compress_type=method)
    return buffer.getvalue()


def _ooxml(main_part: str, main_type: str) -> bytes:
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    )
    return _zip({"[Content_Types].xml": content_types, main_part: "<document/>"})


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


DOCX = _ooxml("word/document.xml", WORD_MAIN)
XLSX = _ooxml("xl/workbook.xml", EXCEL_MAIN)
ODT = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EVERYTHING = DOCUMENTS | IMAGES


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    # The browser's content type is whatever the sender says; Gza never reads it.
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def refusal(name: str, content: bytes, allowed=EVERYTHING, **limits) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content), allowed=allowed, **limits)
    return refused.value


def english(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("agreement.pdf", PDF_BYTES, "pdf"),
        ("agreement.docx", DOCX, "docx"),
        ("quotas.xlsx", XLSX, "xlsx"),
        ("protocol.odt", ODT, "odt"),
        ("passport.png", PNG, "png"),
        ("passport.jpg", JPEG, "jpeg"),
        ("passport.JPEG", JPEG, "jpeg"),
    ],
)
def test_each_type_is_recognised_by_its_content(name, content, kind):
    detected = check_upload(upload(name, content), allowed=EVERYTHING)
    assert detected is TYPES[kind]
    assert detected.content_type == TYPES[kind].content_type


def test_an_executable_renamed_pdf_is_refused():
    error = refusal("agreement.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100)
    assert error.code == "type_not_allowed"
    assert "content, not its name" in english(error)


def test_html_renamed_pdf_is_refused():
    error = refusal("agreement.pdf", b"<!DOCTYPE html><script>alert(1)</script>")
    assert error.code == "type_not_allowed"


def test_an_oversized_file_is_refused_naming_the_limit(settings):
    settings.UPLOAD_MAX_MB = 1
    error = refusal("agreement.pdf", PDF_BYTES + b"\x00" * MB)
    assert error.code == "too_large"
    assert "at most 1 MB" in english(error)


def test_the_limit_can_be_given_by_the_caller():
    error = refusal("agreement.pdf", PDF_BYTES + b"\x00" * (3 * MB), max_bytes=2 * MB)
    assert "at most 2 MB" in english(error)


def test_an_empty_file_is_refused():
    error = refusal("agreement.pdf", b"")
    assert error.code == "empty"
    assert english(error) == "The file is empty."


def test_a_zip_that_is_not_an_office_document_is_refused():
    error = refusal("agreement.docx", _zip({"readme.txt": "hello"}))
    assert error.code == "type_not_allowed"


def test_a_damaged_zip_is_refused():
    error = refusal("agreement.docx", b"PK\x03\x04" + b"\x00" * 200)
    assert error.code == "type_not_allowed"


def test_a_macro_enabled_word_file_is_refused():
    macro = _ooxml("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml")
    assert refusal("agreement.docx", macro).code == "type_not_allowed"


def test_a_type_that_is_not_allowed_here_is_refused_even_if_named_honestly():
    error = refusal("photo.png", PNG, allowed=DOCUMENTS)
    assert error.code == "type_not_allowed"
    assert ".pdf" in english(error) and ".png" not in english(error)


@pytest.mark.parametrize("name", ["agreement.pdf", "agreement", "agreement.png.exe"])
def test_a_name_that_does_not_match_the_content_is_refused(name):
    error = refusal(name, DOCX)
    assert error.code == "extension_mismatch"
    assert "DOCX" in english(error) and ".docx" in english(error)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\nino\\ხელშეკრულება.pdf", "ხელშეკრულება.pdf"),
        ("bad\x00name\r\n.pdf", "badname.pdf"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ("...", "file"),
        (".pdf", "pdf"),
    ],
)
def test_file_names_are_cleaned_before_they_are_kept(given, kept):
    assert safe_filename(given) == kept


def test_long_file_names_keep_their_extension():
    assert safe_filename("ა" * 500 + ".pdf", max_length=50) == "ა" * 46 + ".pdf"


def test_private_storage_has_no_url_and_follows_the_setting(settings, tmp_path):
    storage = PrivateStorage()
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    assert storage.location == str(tmp_path / "elsewhere")
    with pytest.raises(ValueError, match="not accessible via a URL"):
        storage.url("agreements/x.pdf")
