"""The gate of every workspace view: signed in, second factor if needed, and the right."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from gza.core.roles import Right, has_right
from gza.web.accounts.two_factor import needs_second_factor, second_factor_redirect

View = Callable[..., HttpResponse]


def workspace_view(right: Right) -> Callable[[View], View]:
    """Allow the view to users whose role carries `right` (and the workspace right)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if needs_second_factor(request):
                return second_factor_redirect(user, request.get_full_path())
            if not (has_right(user, Right.WORKSPACE) and has_right(user, right)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_right = right  # type: ignore[attr-defined]
        return wrapper

    return decorator
