from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from gza.core.enums import Role
from gza.core.roles import ROLE_DUTIES, Right, has_right
from gza.web.workspace.access import workspace_view


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Job seekers have their own pages on the portal, not the staff workspace.
    if request.user.role == Role.JOB_SEEKER:
        return redirect("portal:me")
    if not has_right(request.user, Right.WORKSPACE):
        raise PermissionDenied
    return _workspace_home(request)


@workspace_view(Right.WORKSPACE)
def _workspace_home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workspace/home.html", {"duties": ROLE_DUTIES.get(request.user.role, [])}
    )


home.required_right = Right.WORKSPACE  # type: ignore[attr-defined]
