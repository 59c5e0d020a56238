"""Uploaded files: what they really are, and where they are kept.

The type of a file is read from its content (magic bytes, and the parts list of a ZIP container),
never from its name or the browser's Content-Type, both of which the sender chooses. A file whose
content is not one of the allowed types is refused, and so is one whose name claims another type
(a PNG named .pdf), so that the name shown to the next reader does not mislead them.

Files are kept in private storage, outside the web root: they are served only by views that
check who is asking.
"""

import hashlib
import os
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024

EMPTY = _("The file is empty.")
TOO_LARGE = _("The file is %(size)s MB; files of at most %(limit)s MB are accepted.")
TYPE_NOT_ALLOWED = _(
    "This type of file is not accepted here. Accepted: %(allowed)s. "
    "The type is read from the file's content, not its name."
)
EXTENSION_MISMATCH = _(
    "The file's name ends in “%(extension)s” but its content is %(detected)s. "
    "Rename it to end in %(expected)s."
)


@dataclass(frozen=True)
class DetectedType:
    """A file type recognised by content: its short name, MIME type and accepted extensions."""

    name: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def extension(self) -> str:
        return self.extensions[0]


PDF = DetectedType("pdf", "application/pdf", (".pdf",))
DOCX = DetectedType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = DetectedType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = DetectedType("odt", "application/vnd.oasis.opendocument.text", (".odt",))
PNG = DetectedType("png", "image/png", (".png",))
JPEG = DetectedType("jpeg", "image/jpeg", (".jpg", ".jpeg"))
TYPES = {kind.name: kind for kind in (PDF, DOCX, XLSX, ODT, PNG, JPEG)}

DOCUMENTS = frozenset({"pdf", "docx", "xlsx", "odt"})
IMAGES = frozenset({"png", "jpeg"})

# The main part of an OOXML package names what the package is; a macro-enabled .docm/.xlsm
# names another type and is refused.
_OOXML_MAIN_PARTS = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_ODF_MIMETYPES = {ODT.content_type.encode(): ODT}
# Parts are read only this far: enough for the declarations, and a ZIP bomb inflates no further.
_PART_READ_LIMIT = 256 * 1024


def upload_max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * MB


def _megabytes(size: int) -> str:
    return f"{round(size / MB, 1):g}"


def _zip_type(file: IO[bytes]) -> DetectedType | None:
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" in names:
                with package.open("[Content_Types].xml") as part:
                    declared = part.read(_PART_READ_LIMIT)
                for content_type, kind in _OOXML_MAIN_PARTS.items():
                    if b'ContentType="' + content_type + b'"' in declared:
                        return kind
            elif "mimetype" in names:
                with package.open("mimetype") as part:
                    return _ODF_MIMETYPES.get(part.read(100).strip())
    # A damaged, encrypted or exotically compressed archive is not a document we accept.
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError):
        return None
    return None


def detect_type(file: IO[bytes]) -> DetectedType | None:
    """What the content of `file` is, or None if it is none of the known types."""
    file.seek(0)
    head = file.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(file)
        return None
    finally:
        file.seek(0)


def check_upload(
    file: File, *, allowed: set[str] | frozenset[str], max_bytes: int | None = None
) -> DetectedType:
    """The type of an uploaded file, read from its content; ValidationError if the file is
    empty, too large, not of an allowed type, or named as another type than it is.

    `allowed` holds short names from TYPES ("pdf", "docx", ...); `max_bytes` defaults to the
    configured limit (GZA_UPLOAD_MAX_MB)."""
    limit = upload_max_bytes() if max_bytes is None else max_bytes
    size = file.size
    if not size:
        raise ValidationError(EMPTY, code="empty")
    if size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": _megabytes(size), "limit": _megabytes(limit)},
        )
    accepted = ", ".join(ext for name in sorted(allowed) for ext in TYPES[name].extensions)
    detected = detect_type(file)
    if detected is None or detected.name not in allowed:
        raise ValidationError(
            TYPE_NOT_ALLOWED, code="type_not_allowed", params={"allowed": accepted}
        )
    extension = PurePosixPath(safe_filename(file.name or "")).suffix.lower()
    if extension not in detected.extensions:
        raise ValidationError(
            EXTENSION_MISMATCH,
            code="extension_mismatch",
            params={
                "extension": extension or "—",
                "detected": detected.name.upper(),
                "expected": " / ".join(detected.extensions),
            },
        )
    return detected


_UNSAFE = re.compile(r'[<>:"/\\|?*]')


def safe_filename(name: str, *, max_length: int = 200) -> str:
    """An uploaded file's name fit to keep and show: no folders, no control or reserved
    characters, no leading dots, at most `max_length` characters with the extension kept."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(_UNSAFE.sub("_", name).split()).lstrip(". ")
    stem, suffix = os.path.splitext(name)
    if len(suffix) > 16:
        stem, suffix = name, ""
    name = stem[: max(max_length - len(suffix), 1)] + suffix
    return name if stem else f"file{suffix}"


def random_name(folder: str, original: str) -> str:
    """A stored name that says nothing about the file and cannot collide: folder/uuid.ext."""
    return f"{folder}/{uuid.uuid4().hex}{Path(safe_filename(original)).suffix.lower()}"


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT: no URL (they are never served as static or media), and
    readable by the server's user only. The root is read on every use so tests can move it."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


private_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    """For FileField(storage=...): a callable keeps the path out of migrations."""
    return private_storage


def file_sha256(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def stage_document(
    document: models.Model, upload: File, *, allowed: set[str] | frozenset[str]
) -> models.Model:
    """Check an upload for a document record (type by content, size), fill the record's file
    facts (original_name, content_type, size, sha256), validate it, and write the file to
    private storage. The caller saves the record in its transaction inside `kept_unless_failed`,
    so a record that cannot be saved leaves no file behind. A refused file is a ValidationError
    on "upload"."""
    try:
        detected = check_upload(upload, allowed=allowed)
    except ValidationError as error:
        raise ValidationError({"upload": error.error_list}) from error
    document.original_name = safe_filename(upload.name or f"document{detected.extension}")
    document.content_type = detected.content_type
    document.size = upload.size
    document.sha256 = file_sha256(upload)
    document.full_clean(exclude=["file"])
    document.file.save(document.original_name, upload, save=False)
    return document


@contextmanager
def kept_unless_failed(document: models.Model) -> Iterator[None]:
    """Around saving a staged document: on any failure the file is removed again, since a file
    without its record would be unreachable and unaudited."""
    try:
        yield
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
