"""Reintegration cases in the workspace: the list (filters: status, vulnerability, follow-ups
overdue), the open-case form, and one case's page with its assessment, assistance plan,
follow-ups with the sustainability trend, and closure.

Cases are fetched through `ReintegrationCase.objects.visible_to(user)`: outside scope is a 404.
The person is picked by registration number in a POSTed form, never in the URL. Every page that
shows people writes the access log. The rules live in gza/reintegration/services.py."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gza.core.audit import access_record, access_record_many
from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.core.roles import Right
from gza.mobility.models import Return
from gza.registry.models import JobSeeker
from gza.reintegration.enums import (
    AssistanceKind,
    CaseStatus,
    ClosureReason,
    NeedLevel,
    Vulnerability,
)
from gza.reintegration.models import (
    AssistanceItem,
    FollowUp,
    NeedsAssessment,
    ReintegrationCase,
)
from gza.reintegration.services import (
    EARLY_WINDOW,
    SCORE_MAX,
    CaseRefusal,
    assessment_record,
    assistance_add,
    assistance_moves,
    assistance_status_set,
    assisting_organisations,
    case_close,
    case_open,
    follow_up_record,
    returnee_find,
    sustainability_trend,
)
from gza.taxonomy.models import Country
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OVERDUE = "overdue"


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _accepted(form: forms.Form, service, **arguments: Any) -> bool:
    """Run a service; a refusal lands on the form in the page's language."""
    try:
        service(**arguments)
    except DomainError as error:
        form.add_error(None, str(error))
    except ValidationError as error:
        _add_errors(form, error)
    else:
        return True
    return False


# The list --------------------------------------------------------------------------------------


def cases_listed(user, *, status: str = "", vulnerability: str = "", overdue: bool = False):
    """The user's cases with what the list shows: the latest vulnerability, the next follow-up
    due and whether one is overdue, in one query."""
    today = timezone.localdate()
    latest = NeedsAssessment.objects.filter(case=OuterRef("pk")).order_by("-assessed_on", "-id")
    cases = (
        ReintegrationCase.objects.visible_to(user)
        .select_related("job_seeker", "returned_from", "organisation")
        .annotate(
            vulnerability=Subquery(latest.values("vulnerability")[:1]),
            next_due=Min("follow_ups__due_on", filter=Q(follow_ups__done_on__isnull=True)),
            overdue=Exists(
                FollowUp.objects.filter(case=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
            )
            & Q(status=CaseStatus.OPEN),
        )
    )
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if vulnerability in Vulnerability.values:
        cases = cases.filter(vulnerability=vulnerability)
    if overdue:
        cases = cases.filter(overdue=True)
    return cases.order_by("-opened_on", "-id")


@workspace_view(Right.REINTEGRATION_MANAGE)
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", CaseStatus.OPEN)
    status = status if status in CaseStatus.values else ""
    vulnerability = request.GET.get("vulnerability", "")
    vulnerability = vulnerability if vulnerability in Vulnerability.values else ""
    overdue = request.GET.get(OVERDUE) == "1"
    page = paginate(
        request,
        cases_listed(request.user, status=status, vulnerability=vulnerability, overdue=overdue),
    )
    access_record_many(
        actor=request.user,
        subjects=[case.job_seeker for case in page],
        action=AccessAction.VIEW,
        purpose="reintegration cases",
    )
    return render(
        request,
        "workspace/reintegration/list.html",
        {
            "page": page,
            "statuses": CaseStatus.choices,
            "status": status,
            "vulnerabilities": Vulnerability.choices,
            "vulnerability": vulnerability,
            "overdue": overdue,
        },
    )


# Opening a case --------------------------------------------------------------------------------


class CaseOpenForm(forms.Form):
    """Who returned, from where, when, and who assists them. Without a referral the person is
    named by registration number (and personal number when another organisation registered
    them), POSTed so neither appears in a URL."""

    registration_number = forms.CharField(
        label=gettext_lazy("Registration number"),
        help_text=gettext_lazy(
            "The ten digits the person got at registration. Not registered yet? Register them "
            "first."
        ),
        max_length=10,
        required=False,
    )
    personal_number = forms.CharField(
        label=gettext_lazy("Personal number"),
        help_text=gettext_lazy("Needed when another organisation registered the person."),
        max_length=11,
        required=False,
    )
    returned_from = forms.ModelChoiceField(
        label=gettext_lazy("Returned from"),
        queryset=Country.objects.states().exclude(pk="GE"),
    )
    returned_on = forms.DateField(label=gettext_lazy("Returned on"), widget=DATE_WIDGET)
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Assisting organisation"), queryset=None
    )

    def __init__(self, *args: Any, user, referral: Return | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.referral = referral
        organisations = assisting_organisations(user)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
        if referral is not None:
            del self.fields["registration_number"]
            del self.fields["personal_number"]
            self.fields["returned_from"].initial = referral.placement.country_id
            self.fields["returned_on"].initial = referral.returned_on
        else:
            self.fields["registration_number"].required = True


def referrals_for(user) -> QuerySet[Return]:
    """Returns referred to reintegration for which no case is open yet, of people the user may
    see."""
    return (
        Return.objects.filter(
            referred_to_reintegration=True,
            placement__job_seeker__in=JobSeeker.objects.visible_to(user),
        )
        .exclude(placement__reintegration_cases__isnull=False)
        .select_related("placement__job_seeker", "placement__country")
        .order_by("-returned_on", "-pk")
    )


@workspace_view(Right.REINTEGRATION_MANAGE)
def case_open_view(request: HttpRequest) -> HttpResponse:
    referral = None
    placement_id = request.POST.get("placement") or request.GET.get("placement")
    if placement_id:
        try:
            referral = get_object_or_404(
                referrals_for(request.user), placement__public_id=placement_id
            )
        except ValidationError:  # not a UUID
            referral = None
    form = CaseOpenForm(
        request.POST if request.method == "POST" else None, user=request.user, referral=referral
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if referral is not None:
                person, placement = referral.placement.job_seeker, referral.placement
            else:
                person = returnee_find(
                    actor=request.user,
                    registration_number=data["registration_number"],
                    personal_number=data["personal_number"],
                )
                placement = None
            case = case_open(
                actor=request.user,
                job_seeker=person,
                returned_from=data["returned_from"],
                returned_on=data["returned_on"],
                organisation=data["organisation"],
                placement=placement,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The case is open; the follow-ups at 3, 6 and 12 months are scheduled.")
            )
            return redirect(case.get_absolute_url())
    return render(
        request,
        "workspace/reintegration/open.html",
        {
            "form": form,
            "referral": referral,
            "referrals": [] if referral else list(referrals_for(request.user)[:50]),
        },
        status=400 if form.errors else 200,
    )


# One case --------------------------------------------------------------------------------------


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=gettext_lazy("Assessed on"), initial=timezone.localdate, widget=DATE_WIDGET
    )
    economic = forms.TypedChoiceField(
        label=gettext_lazy("Economic needs"), choices=NeedLevel.choices, coerce=int
    )
    social = forms.TypedChoiceField(
        label=gettext_lazy("Social needs"), choices=NeedLevel.choices, coerce=int
    )
    psychosocial = forms.TypedChoiceField(
        label=gettext_lazy("Psychosocial needs"), choices=NeedLevel.choices, coerce=int
    )
    medical = forms.TypedChoiceField(
        label=gettext_lazy("Medical needs"), choices=NeedLevel.choices, coerce=int
    )
    vulnerability = forms.ChoiceField(
        label=gettext_lazy("Vulnerability"), choices=Vulnerability.choices
    )
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Seen by caseworkers only, never shown to the person."),
    )


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Assistance"), choices=AssistanceKind.choices)
    provider = forms.CharField(label=gettext_lazy("Provider"), max_length=200)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), max_digits=10, decimal_places=2, required=False
    )
    currency = forms.CharField(label=gettext_lazy("Currency"), max_length=3, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def _score_field(label) -> forms.IntegerField:
    message = CaseRefusal.SCORE_RANGE
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=SCORE_MAX,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
    )


class FollowUpForm(forms.Form):
    done_on = forms.DateField(
        label=gettext_lazy("Done on"), initial=timezone.localdate, widget=DATE_WIDGET
    )
    economic = _score_field(gettext_lazy("Economic (0-100)"))
    social = _score_field(gettext_lazy("Social (0-100)"))
    psychosocial = _score_field(gettext_lazy("Psychosocial (0-100)"))
    notes = forms.CharField(
        label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Why it closes"), choices=ClosureReason.choices)
    closed_on = forms.DateField(
        label=gettext_lazy("Closed on"), initial=timezone.localdate, widget=DATE_WIDGET
    )


def _case(request: HttpRequest, public_id: str) -> ReintegrationCase:
    return get_object_or_404(
        ReintegrationCase.objects.visible_to(request.user).select_related(
            "job_seeker", "returned_from", "organisation", "caseworker", "placement__country"
        ),
        public_id=public_id,
    )


def _follow_up_prefix(month: int) -> str:
    return f"follow_up_{month}"


def _render_case(
    request: HttpRequest,
    case: ReintegrationCase,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    bound = bound or {}
    access_record(
        actor=request.user,
        subject=case.job_seeker,
        action=AccessAction.VIEW,
        purpose="reintegration",
    )
    today = timezone.localdate()
    assessments = list(
        case.assessments.select_related("assessed_by").order_by("-assessed_on", "-id")
    )
    plan = list(case.plan.order_by("id"))
    follow_ups = list(case.follow_ups.select_related("recorded_by").order_by("month"))
    trend = {point.month: point for point in sustainability_trend(follow_ups)}
    rows = []
    for follow_up in follow_ups:
        recordable = (
            case.is_open and follow_up.done_on is None and follow_up.due_on - EARLY_WINDOW <= today
        )
        key = _follow_up_prefix(follow_up.month)
        rows.append(
            {
                "follow_up": follow_up,
                "point": trend[follow_up.month],
                "overdue": case.is_open and follow_up.is_overdue(today),
                "form": (bound.get(key) or FollowUpForm(prefix=key)) if recordable else None,
            }
        )
    person_visible = (
        JobSeeker.objects.visible_to(request.user).filter(pk=case.job_seeker_id).exists()
    )
    return render(
        request,
        "workspace/reintegration/detail.html",
        {
            "case": case,
            "person_visible": person_visible,
            "assessment": assessments[0] if assessments else None,
            "earlier_assessments": assessments[1:],
            "plan": [{"item": item, "moves": assistance_moves(item)} for item in plan],
            "follow_ups": rows,
            "scores_done": [row["point"] for row in rows if row["point"].score is not None],
            "assessment_form": bound.get("assessment") or AssessmentForm(),
            "plan_form": bound.get("plan") or PlanItemForm(),
            "close_form": bound.get("close") or CloseForm(),
        },
        status=status,
    )


@workspace_view(Right.REINTEGRATION_MANAGE)
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _render_case(request, _case(request, public_id))


def _post_target(
    request: HttpRequest, public_id: str, key: str, form_class, service
) -> HttpResponse | None:
    """A form on the case page: GET goes back to the case; a refused POST shows the page again
    with the form's errors."""
    case = _case(request, public_id)
    if request.method != "POST":
        return redirect(case.get_absolute_url())
    form = form_class(request.POST)
    if form.is_valid() and _accepted(
        form, service, actor=request.user, case=case, **form.cleaned_data
    ):
        return None
    return _render_case(request, case, bound={key: form}, status=400)


@workspace_view(Right.REINTEGRATION_MANAGE)
def assessment_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    response = _post_target(request, public_id, "assessment", AssessmentForm, assessment_record)
    if response is not None:
        return response
    messages.success(request, _("The assessment is recorded."))
    return redirect("workspace:reintegration_case", public_id=public_id)


@workspace_view(Right.REINTEGRATION_MANAGE)
def plan_add_view(request: HttpRequest, public_id: str) -> HttpResponse:
    response = _post_target(request, public_id, "plan", PlanItemForm, assistance_add)
    if response is not None:
        return response
    messages.success(request, _("The assistance is added to the plan."))
    return redirect("workspace:reintegration_case", public_id=public_id)


@workspace_view(Right.REINTEGRATION_MANAGE)
def plan_move_view(request: HttpRequest, public_id: str, pk: int) -> HttpResponse:
    case = _case(request, public_id)
    item = get_object_or_404(AssistanceItem.objects.select_related("case"), case=case, pk=pk)
    if request.method == "POST":
        try:
            assistance_status_set(
                actor=request.user, item=item, status=request.POST.get("status", "")
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The plan is updated."))
    return redirect(case.get_absolute_url())


@workspace_view(Right.REINTEGRATION_MANAGE)
def follow_up_view(request: HttpRequest, public_id: str, month: int) -> HttpResponse:
    case = _case(request, public_id)
    follow_up = get_object_or_404(FollowUp.objects.select_related("case"), case=case, month=month)
    if request.method != "POST":
        return redirect(case.get_absolute_url())
    key = _follow_up_prefix(month)
    form = FollowUpForm(request.POST, prefix=key)
    if form.is_valid() and _accepted(
        form, follow_up_record, actor=request.user, follow_up=follow_up, **form.cleaned_data
    ):
        messages.success(request, _("The follow-up is recorded."))
        return redirect(case.get_absolute_url())
    return _render_case(request, case, bound={key: form}, status=400)


@workspace_view(Right.REINTEGRATION_MANAGE)
def case_close_view(request: HttpRequest, public_id: str) -> HttpResponse:
    response = _post_target(request, public_id, "close", CloseForm, case_close)
    if response is not None:
        return response
    messages.success(request, _("The case is closed."))
    return redirect("workspace:reintegration_case", public_id=public_id)
