from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gza.core.models import AccessLogEntry, AuditEvent, User
from gza.core.roles import Right
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate


@workspace_view(Right.USERS_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("organisation").order_by("role", "email")
    return render(request, "workspace/audit/user_list.html", {"page": paginate(request, users)})


@workspace_view(Right.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor", "target_type")
    return render(request, "workspace/audit/audit_list.html", {"page": paginate(request, events)})


@workspace_view(Right.AUDIT_VIEW)
def access_log(request: HttpRequest) -> HttpResponse:
    entries = AccessLogEntry.objects.select_related("actor", "subject_type")
    return render(request, "workspace/audit/access_log.html", {"page": paginate(request, entries)})
