from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext

from gza.core.audit import current_ip


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: behind a proxy, the proxy sets it (gunicorn --forwarded-allow-ips),
    # and a client-supplied X-Forwarded-For is never trusted for the audit trail.
    return request.META.get("REMOTE_ADDR") or None


def audit_context_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Make the client address available to the audit service for this request."""

    def middleware(request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return get_response(request)
        finally:
            current_ip.reset(token)

    return middleware


def null_character_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Refuse a query string carrying a NUL character: no text in Gza contains one, PostgreSQL
    cannot compare with one, and only a broken or hostile client sends it. Forms and API
    bodies refuse it field by field already; this covers parameters read straight from the
    query string (searches, lookups)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(
                gettext("The request contains a character that is not allowed (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
