"""The ministry's queue of requests to delete a person's record, and the decision.

Carrying out a request erases the person's personal data and keeps anonymous statistics; what
exactly is erased is defined in gza/registry/privacy.py. Refusing needs a reason, which the
person reads on their privacy page. Every decision is audited."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.core.roles import Right
from gza.registry.enums import DeletionRequestStatus
from gza.registry.models import DeletionRequest
from gza.registry.privacy import deletion_carry_out, deletion_refuse
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate

CARRY_OUT = "carry_out"
REFUSE = "refuse"


class DeletionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            (CARRY_OUT, gettext_lazy("Carry out: erase the person's personal data")),
            (REFUSE, gettext_lazy("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Reason or note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required to refuse; the person reads it on their privacy page."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == REFUSE and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for refusing the request."))
        return data


@workspace_view(Right.DELETION_DECIDE)
def deletion_request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", DeletionRequestStatus.OPEN)
    requests = DeletionRequest.objects.select_related("decided_by")
    if status in DeletionRequestStatus.values:
        requests = requests.filter(status=status)
    # Oldest open requests first: the ministry answers in order.
    requests = requests.order_by("requested_at", "id")
    return render(
        request,
        "workspace/deletion/list.html",
        {
            "page": paginate(request, requests),
            "statuses": DeletionRequestStatus.choices,
            "status": status,
        },
    )


@workspace_view(Right.DELETION_DECIDE)
def deletion_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deletion = get_object_or_404(
        DeletionRequest.objects.select_related("job_seeker__municipality", "decided_by"), pk=pk
    )
    form = DeletionDecisionForm(request.POST or None)
    is_open = deletion.status == DeletionRequestStatus.OPEN
    if request.method == "POST" and is_open and form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if form.cleaned_data["decision"] == CARRY_OUT:
                deletion_carry_out(request=deletion, actor=request.user, note=note)
                messages.success(request, _("The record is erased."))
            else:
                deletion_refuse(request=deletion, actor=request.user, note=note)
                messages.success(request, _("The request is refused."))
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("workspace:deletion_request_detail", pk=deletion.pk)
    person = deletion.job_seeker
    if person is not None and is_open:
        # The officer sees who asked, to check what the law requires keeping.
        access_record(
            actor=request.user, subject=person, action=AccessAction.VIEW, purpose="deletion"
        )
    return render(
        request,
        "workspace/deletion/detail.html",
        {
            "deletion": deletion,
            "person": person,
            "form": form if is_open else None,
        },
    )
