"""A worker abroad on the portal: their check-ins and their grievances (works without
JavaScript: every action is a real form).

/me/check-ins/: the check-ins due now, each with its questions, and those answered.
/me/grievances/: their grievances, raising a new one, the answer, and rating it once resolved.
A worker sees only their own; another's is a 404. The rules are in gza/mobility/protection.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gza.core.errors import DomainError
from gza.mobility.enums import GrievanceSource, GrievanceStatus, Severity
from gza.mobility.models import Placement
from gza.mobility.protection import (
    DEFAULT_SEVERITY,
    check_in_answer,
    check_ins_due,
    check_ins_visible_to,
    grievance_open,
    grievance_rate,
    grievances_visible_to,
)
from gza.registry.models import JobSeeker
from gza.web.portal.privacy import own_record_view
from gza.web.protection_forms import CheckInAnswerForm, GrievanceForm, RatingForm
from gza.web.workspace.demand import _add_errors


def _render_check_ins(
    request: HttpRequest, person: JobSeeker, bound: CheckInAnswerForm | None = None
) -> HttpResponse:
    due = list(check_ins_due(job_seeker=person))
    forms = [
        (
            check_in,
            bound
            if bound is not None and bound.prefix == f"check-in-{check_in.pk}"
            else CheckInAnswerForm(check_in=check_in),
        )
        for check_in in due
    ]
    answered = (
        check_ins_visible_to(request.user)
        .filter(answered_at__isnull=False)
        .select_related("placement__country")
        .order_by("-answered_at")
    )
    return render(
        request,
        "portal/protection/check_ins.html",
        {"person": person, "due": forms, "answered": answered},
    )


@own_record_view
def check_ins(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    return _render_check_ins(request, person)


@own_record_view
def check_in_answer_view(request: HttpRequest, person: JobSeeker, pk: int) -> HttpResponse:
    check_in = get_object_or_404(
        check_ins_visible_to(request.user).select_related("placement"), pk=pk
    )
    if request.method != "POST":
        return redirect("portal:check_ins")
    form = CheckInAnswerForm(request.POST, check_in=check_in)
    if form.is_valid():
        try:
            answered = check_in_answer(actor=request.user, check_in=check_in, **form.cleaned_data)
        except DomainError as error:
            # Answered already or not yet open: nothing on the form to correct.
            messages.error(request, str(error))
            return redirect("portal:check_ins")
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if answered.breaches:
                messages.warning(
                    request,
                    _(
                        "Thank you. Your answers differ from what you were promised, so we "
                        "opened a grievance for you: you will find our answer under your "
                        "grievances."
                    ),
                )
            else:
                messages.success(request, _("Thank you: your answers are recorded."))
            return redirect("portal:check_ins")
    return _render_check_ins(request, person, bound=form)


# Grievances ------------------------------------------------------------------------------------


def _placements(person: JobSeeker):
    return Placement.objects.filter(job_seeker=person).select_related("country")


@own_record_view
def grievances(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    mine = grievances_visible_to(request.user).select_related("placement__country")
    return render(
        request,
        "portal/protection/grievances.html",
        {
            "person": person,
            "grievances": mine,
            "form": GrievanceForm(placements=_placements(person)),
        },
    )


@own_record_view
def grievance_new(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    form = GrievanceForm(request.POST or None, placements=_placements(person))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        severity = Severity.CRITICAL if data["in_danger"] else DEFAULT_SEVERITY[data["category"]]
        try:
            grievance = grievance_open(
                actor=request.user,
                job_seeker=person,
                placement=data["placement"],
                source=GrievanceSource.PORTAL,
                category=data["category"],
                severity=severity,
                description=data["description"],
            )
        except DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your grievance is recorded. We will answer you."))
            return redirect("portal:grievance", public_id=grievance.public_id)
    return render(request, "portal/protection/grievance_new.html", {"form": form})


def _render_grievance(request: HttpRequest, grievance, form: RatingForm | None = None):
    can_rate = (
        grievance.status in (GrievanceStatus.RESOLVED, GrievanceStatus.CLOSED)
        and grievance.worker_rating is None
    )
    return render(
        request,
        "portal/protection/grievance.html",
        {
            "grievance": grievance,
            "rating_form": (form or RatingForm()) if can_rate else None,
        },
    )


@own_record_view
def grievance(request: HttpRequest, person: JobSeeker, public_id) -> HttpResponse:
    mine = get_object_or_404(
        grievances_visible_to(request.user).select_related("placement__country"),
        public_id=public_id,
    )
    return _render_grievance(request, mine)


@own_record_view
def grievance_rate_view(request: HttpRequest, person: JobSeeker, public_id) -> HttpResponse:
    mine = get_object_or_404(grievances_visible_to(request.user), public_id=public_id)
    if request.method != "POST":
        return redirect("portal:grievance", public_id=public_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            grievance_rate(actor=request.user, grievance=mine, rating=form.cleaned_data["rating"])
        except DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:grievance", public_id=public_id)
    return _render_grievance(request, mine, form)
