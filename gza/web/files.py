"""Serving a stored document to someone a view has already authorised."""

from django.db import models
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control


def file_response(document: models.Model) -> FileResponse:
    """A document from private storage as a download. The type is the one read from the
    content at upload, never guessed from the name; the browser saves the file rather than
    rendering it, and keeps no copy. A file missing from storage is a 404."""
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
