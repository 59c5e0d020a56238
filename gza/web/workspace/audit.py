from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gza.core.models import AccessLogEntry, AuditEvent, User
from gza.core.roles import Right
from gza.core.services import user_role_change
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate


@workspace_view(Right.USERS_MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("organisation").order_by("role", "email")
    return render(request, "workspace/audit/user_list.html", {"page": paginate(request, users)})


class RoleForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["role", "organisation"]


@workspace_view(Right.USERS_MANAGE)
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        user_role_change(
            actor=request.user,
            user=account,
            role=form.cleaned_data["role"],
            organisation=form.cleaned_data["organisation"],
        )
        messages.success(request, _("The role is saved."))
        return redirect("workspace:user_list")
    return render(request, "workspace/audit/user_role.html", {"form": form, "account": account})


@workspace_view(Right.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    events = AuditEvent.objects.select_related("actor", "target_type")
    return render(request, "workspace/audit/audit_list.html", {"page": paginate(request, events)})


@workspace_view(Right.AUDIT_VIEW)
def access_log(request: HttpRequest) -> HttpResponse:
    entries = AccessLogEntry.objects.select_related("actor", "subject_type")
    return render(request, "workspace/audit/access_log.html", {"page": paginate(request, entries)})
