"""Grievances and check-ins in the workspace: the board of open grievances (by deadline or by
age, filtered by severity, country and category), the grievance page with its actions and
timeline, an officer or embassy opening a grievance for a person, and an officer recording a
check-in answered on the phone.

Grievances are fetched through `grievances_visible_to(user)` and check-ins through
`check_ins_visible_to(user)`, so one outside the user's remit is a 404. The rules live in
gza/mobility/protection.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gza.core.audit import access_record
from gza.core.enums import AccessAction, Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right
from gza.mobility.enums import GrievanceCategory, GrievanceSource, Severity
from gza.mobility.models import Grievance, Placement
from gza.mobility.protection import (
    ACTION_LABELS,
    board_columns,
    breach_lines,
    check_in_answer,
    check_ins_visible_to,
    grievance_actions_for,
    grievance_assign,
    grievance_close,
    grievance_escalate,
    grievance_open,
    grievance_resolve,
    grievance_start,
    grievances_visible_to,
    handlers_for,
    open_grievances,
)
from gza.registry.models import JobSeeker
from gza.taxonomy.models import Country
from gza.web.protection_forms import CheckInAnswerForm, OfficerGrievanceForm
from gza.web.workspace.access import workspace_view
from gza.web.workspace.demand import _add_errors


def _refusal(error: DomainError) -> str:
    return str(error)


def _grievance(request: HttpRequest, public_id) -> Grievance:
    return get_object_or_404(
        grievances_visible_to(request.user).select_related(
            "job_seeker",
            "placement__country",
            "placement__occupation",
            "placement__employer",
            "check_in",
            "assigned_to",
        ),
        public_id=public_id,
    )


# The board -------------------------------------------------------------------------------------


@workspace_view(Right.GRIEVANCES_HANDLE)
def grievance_board(request: HttpRequest) -> HttpResponse:
    grievances = open_grievances(request.user).select_related(
        "job_seeker", "placement__country", "assigned_to"
    )
    severity = request.GET.get("severity", "")
    country = request.GET.get("country", "")
    category = request.GET.get("category", "")
    by = "age" if request.GET.get("by") == "age" else "deadline"
    if severity in Severity.values:
        grievances = grievances.filter(severity=severity)
    if country:
        grievances = grievances.filter(placement__country_id=country)
    if category in GrievanceCategory.values:
        grievances = grievances.filter(category=category)
    now = timezone.now()
    return render(
        request,
        "workspace/grievances/board.html",
        {
            "columns": board_columns(grievances.order_by("response_due_at", "pk"), by=by, now=now),
            "now": now,
            "by": by,
            "severity": severity,
            "country": country,
            "category": category,
            "severities": Severity.choices,
            "categories": GrievanceCategory.choices,
            "countries": Country.objects.filter(
                pk__in=open_grievances(request.user).values("placement__country_id")
            ),
        },
    )


# The grievance page ----------------------------------------------------------------------------


class GrievanceActionForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), widget=forms.RadioSelect)
    assignee = forms.ModelChoiceField(
        label=gettext_lazy("Assign to"), queryset=User.objects.none(), required=False
    )
    resolution = forms.CharField(
        label=gettext_lazy("Resolution (the worker sees it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, actions, assignees: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [(name, label) for name, label in actions]
        if any(name == "assign" for name, _label in actions):
            self.fields["assignee"].queryset = assignees
        else:
            del self.fields["assignee"]
        if not any(name == "resolve" for name, _label in actions):
            del self.fields["resolution"]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose who handles the grievance."))
        return data


def _comparison(grievance: Grievance) -> list[str]:
    if grievance.check_in is None or grievance.placement is None:
        return []
    return breach_lines(grievance.placement, grievance.check_in)


def _render_grievance(
    request: HttpRequest, grievance: Grievance, form: GrievanceActionForm | None = None
) -> HttpResponse:
    actions = grievance_actions_for(request.user, grievance)
    if actions and form is None:
        form = GrievanceActionForm(actions=actions, assignees=handlers_for(grievance))
    access_record(
        actor=request.user,
        subject=grievance.job_seeker,
        action=AccessAction.VIEW,
        purpose="grievance",
    )
    return render(
        request,
        "workspace/grievances/detail.html",
        {
            "grievance": grievance,
            "person": grievance.job_seeker,
            "placement": grievance.placement,
            "comparison": _comparison(grievance),
            "escalated_to": grievance.escalated_to.all(),
            "events": grievance.events.select_related("actor"),
            "action_labels": ACTION_LABELS,
            "form": form if actions else None,
            "overdue": grievance.response_due_at < timezone.now(),
        },
    )


@workspace_view(Right.GRIEVANCES_HANDLE)
def grievance_detail(request: HttpRequest, public_id) -> HttpResponse:
    return _render_grievance(request, _grievance(request, public_id))


@workspace_view(Right.GRIEVANCES_HANDLE)
def grievance_action(request: HttpRequest, public_id) -> HttpResponse:
    grievance = _grievance(request, public_id)
    if request.method != "POST":
        return redirect("workspace:grievance_detail", public_id=grievance.public_id)
    actions = grievance_actions_for(request.user, grievance)
    if not actions:
        raise PermissionDenied
    form = GrievanceActionForm(request.POST, actions=actions, assignees=handlers_for(grievance))
    if form.is_valid():
        data = form.cleaned_data
        action = data["action"]
        try:
            if action == "assign":
                grievance_assign(actor=request.user, grievance=grievance, assignee=data["assignee"])
            elif action == "start":
                grievance_start(actor=request.user, grievance=grievance, note=data["note"])
            elif action == "escalate":
                grievance_escalate(actor=request.user, grievance=grievance, note=data["note"])
            elif action == "resolve":
                grievance_resolve(
                    actor=request.user, grievance=grievance, resolution=data["resolution"]
                )
            else:
                grievance_close(actor=request.user, grievance=grievance, note=data["note"])
        except DomainError as error:
            form.add_error(None, _refusal(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The grievance is updated."))
            return redirect("workspace:grievance_detail", public_id=grievance.public_id)
    return _render_grievance(request, _grievance(request, public_id), form)


# Opening a grievance for a person --------------------------------------------------------------


@workspace_view(Right.GRIEVANCES_HANDLE)
def grievance_create(request: HttpRequest, public_id) -> HttpResponse:
    person = get_object_or_404(JobSeeker.objects.visible_to(request.user), public_id=public_id)
    placements = (
        Placement.objects.visible_to(request.user)
        .filter(job_seeker=person)
        .select_related("country")
    )
    embassy = request.user.role == Role.EMBASSY_OFFICER
    form = OfficerGrievanceForm(request.POST or None, placements=placements)
    if embassy:
        form.fields["placement"].required = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grievance = grievance_open(
                actor=request.user,
                job_seeker=person,
                placement=data["placement"],
                source=GrievanceSource.EMBASSY if embassy else GrievanceSource.OFFICER,
                category=data["category"],
                severity=data["severity"],
                description=data["description"],
            )
        except DomainError as error:
            form.add_error(None, _refusal(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The grievance is recorded."))
            return redirect("workspace:grievance_detail", public_id=grievance.public_id)
    return render(request, "workspace/grievances/form.html", {"person": person, "form": form})


# A check-in answered on the phone ---------------------------------------------------------------


@workspace_view(Right.MOBILITY_MANAGE)
def check_in_record(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = get_object_or_404(
        check_ins_visible_to(request.user).select_related(
            "placement__job_seeker", "placement__country"
        ),
        pk=pk,
    )
    form = CheckInAnswerForm(request.POST or None, check_in=check_in)
    if request.method == "POST" and form.is_valid():
        try:
            check_in_answer(actor=request.user, check_in=check_in, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, _refusal(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            check_in.refresh_from_db()
            if check_in.breaches:
                messages.warning(
                    request,
                    _("The answer differs from the promised terms: a grievance is opened."),
                )
            else:
                messages.success(request, _("The answer is recorded."))
            return redirect(check_in.placement)
    return render(
        request,
        "workspace/grievances/check_in.html",
        {"check_in": check_in, "placement": check_in.placement, "form": form},
    )
