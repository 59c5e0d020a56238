"""One error format for the whole API:

{"error": {"code": "not_found", "message": "...", "fields": {"field": ["..."]}}}
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from gza.core.errors import DomainError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        if exc.message == DomainError.NOT_PERMITTED:
            exc = exceptions.PermissionDenied(str(exc.message))
        else:
            # str(exc), not exc.message: a refusal's parameters (the stage it names) filled in.
            exc = exceptions.ValidationError({"non_field_errors": [str(exc)]}, code="domain")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict[str, Any] = {"code": _code(exc), "message": _message(exc)}
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        body["fields"] = exc.detail
    response.data = {"error": body}
    return response


def _code(exc: Exception) -> str:
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            return codes
        return exc.default_code
    return "error"


def _message(exc: Exception) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return str(exceptions.ValidationError.default_detail)
    if isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str):
        return str(exc.detail)
    return str(getattr(exc, "default_detail", status.HTTP_400_BAD_REQUEST))
