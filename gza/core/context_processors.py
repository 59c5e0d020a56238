from django.conf import settings
from django.http import HttpRequest


def gza(request: HttpRequest) -> dict:
    # Imported here: the web layer depends on core, not the other way round at import time.
    from gza.web.workspace.nav import navigation_for

    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        # Error pages have no resolver match; templates compare against this instead.
        "view_name": match.view_name if match else "",
        "workspace_nav": navigation_for(user) if user is not None else [],
        "GZA_ENVIRONMENT": settings.ENVIRONMENT,
    }
