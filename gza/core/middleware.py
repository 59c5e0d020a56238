from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
