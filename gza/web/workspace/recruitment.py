"""Applications and selection in the workspace: a vacancy's applications (the officer's full
list, or the employer's pseudonymous view until consent and selection), starting applications
from a reviewed shortlist, one application's page with the moves the user may make and its
log, and the vacancy's selection rounds (draw, read, publish, with the outcome audit).

Vacancies come through `Vacancy.objects.visible_to`, applications through
`Application.objects.visible_to`: outside scope is a 404. Employers act through DEMAND_VIEW on
their own vacancies; who may make which move is gza/recruitment/workflow.py. Every page that
shows people writes the access log. The rules live in gza/recruitment/."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from gza.core.audit import access_record, access_record_many
from gza.core.enums import AccessAction, Role
from gza.core.errors import DomainError
from gza.core.roles import Right, has_right
from gza.demand.models import Vacancy
from gza.matching.enums import Direction, EntryDecision, RunStatus
from gza.matching.models import MatchRun
from gza.recruitment.employer import applicant_profiles, with_profiles
from gza.recruitment.enums import ActorKind, RejectionReason, RoundStatus, Stage
from gza.recruitment.models import Application, SelectionRound
from gza.recruitment.selection import DIMENSIONS, flagged_groups, round_draw, round_publish
from gza.recruitment.services import (
    application_move,
    application_moves_for,
    applications_from_shortlist,
)
from gza.recruitment.workflow import ON_BEHALF
from gza.registry.enums import Sex
from gza.taxonomy.models import GeorgianRegion
from gza.web.workspace.access import workspace_view


def _messages_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


def _vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related("country", "occupation"), pk=pk
    )


def _is_employer_of(user: Any, vacancy: Vacancy) -> bool:
    return (
        user.role == Role.EMPLOYER
        and bool(user.organisation_id)
        and vacancy.employer_id is not None
        and vacancy.employer.organisation_id == user.organisation_id
    )


# A vacancy's applications -------------------------------------------------------------------------


# Stages from which an officer follows the person into pre-departure and the placement.
JOURNEY_STAGES = {
    Stage.OFFER_ACCEPTED,
    Stage.PRE_DEPARTURE,
    Stage.VISA_SUBMITTED,
    Stage.VISA_GRANTED,
    Stage.DEPARTED,
}


@workspace_view(Right.DEMAND_VIEW)
def vacancy_applications(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer sees every application with names and the reviewed shortlists to start
    from; the employer its applicants without identity until consent and selection."""
    vacancy = _vacancy(request, pk)
    applications = with_profiles(
        Application.objects.visible_to(request.user).filter(vacancy=vacancy)
    )
    if has_right(request.user, Right.APPLICATIONS_MANAGE):
        rows = list(applications.order_by("stage", "-match_score", "pk"))
        access_record_many(
            actor=request.user,
            subjects=[a.job_seeker for a in rows],
            action=AccessAction.VIEW,
            purpose="applications",
        )
        shortlists = (
            MatchRun.objects.filter(
                direction=Direction.SHORTLIST, vacancy=vacancy, status=RunStatus.REVIEWED
            )
            .annotate(kept=Count("entries", filter=Q(entries__decision=EntryDecision.KEPT)))
            .select_related("reviewed_by")
            .order_by("-reviewed_at")
        )
        return render(
            request,
            "workspace/recruitment/vacancy_applications.html",
            {
                "vacancy": vacancy,
                "applications": rows,
                "shortlists": shortlists,
                "stage_counts": _stage_counts(rows),
                "can_select": has_right(request.user, Right.SELECTION_RUN),
            },
        )
    if _is_employer_of(request.user, vacancy):
        profiles = applicant_profiles(applications.order_by("-match_score", "pk"))
        access_record_many(
            actor=request.user,
            subjects=[p.application.job_seeker for p in profiles],
            action=AccessAction.VIEW,
            purpose="employer: applicants",
        )
        return render(
            request,
            "workspace/recruitment/employer_applicants.html",
            {"vacancy": vacancy, "profiles": profiles},
        )
    raise PermissionDenied


def _stage_counts(rows: list[Application]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for application in rows:
        counts[application.stage] = counts.get(application.stage, 0) + 1
    return [(label, counts[value]) for value, label in Stage.choices if value in counts]


@workspace_view(Right.APPLICATIONS_MANAGE)
@require_POST
def shortlist_applications(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start an application for every kept line of a reviewed shortlist."""
    run = get_object_or_404(
        MatchRun.objects.filter(
            direction=Direction.SHORTLIST, vacancy__in=Vacancy.objects.visible_to(request.user)
        ),
        public_id=public_id,
    )
    try:
        started = applications_from_shortlist(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s application started from the shortlist.",
                "%(count)s applications started from the shortlist.",
                len(started),
            )
            % {"count": len(started)},
        )
    return redirect("workspace:vacancy_applications", pk=run.vacancy_id)


# One application ----------------------------------------------------------------------------------


class MoveForm(forms.Form):
    transition = forms.CharField(max_length=30)
    as_ = forms.ChoiceField(choices=ActorKind.choices)
    expected_stage = forms.ChoiceField(choices=Stage.choices)
    reason_code = forms.ChoiceField(
        label=gettext_lazy("Reason"),
        choices=[("", "—"), *RejectionReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@workspace_view(Right.DEMAND_VIEW)
def application_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The application, its log and the moves the user may make (each a small form)."""
    application = get_object_or_404(
        with_profiles(Application.objects.visible_to(request.user)).select_related(
            "vacancy__employer", "vacancy__country", "job_seeker__municipality"
        ),
        public_id=public_id,
    )
    if request.method == "POST":
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("The move was not understood: try again."))
        else:
            data = form.cleaned_data
            try:
                application_move(
                    actor=request.user,
                    application=application,
                    transition=data["transition"],
                    as_=data["as_"],
                    reason_code=data["reason_code"],
                    note=data["note"],
                    expected_stage=data["expected_stage"],
                )
            except (DomainError, ValidationError) as error:
                messages.error(request, _messages_of(error))
            else:
                messages.success(request, _("The application is moved."))
        return redirect("workspace:application_detail", public_id=application.public_id)
    moves = application_moves_for(request.user, application)
    # Employers never hold APPLICATIONS_MANAGE: they get the pseudonymous profile.
    is_officer = has_right(request.user, Right.APPLICATIONS_MANAGE)
    access_record(
        actor=request.user,
        subject=application.job_seeker,
        action=AccessAction.VIEW,
        purpose="application" if is_officer else "employer: applicant",
    )
    return render(
        request,
        "workspace/recruitment/application.html",
        {
            "application": application,
            "is_officer": is_officer,
            "journey_stages": JOURNEY_STAGES,
            "profile": None if is_officer else applicant_profiles([application])[0],
            "events": application.events.select_related("actor"),
            "moves": [
                {
                    "kind": kind,
                    "transition": move,
                    "on_behalf": kind == ActorKind.OFFICER and move.name in ON_BEHALF,
                }
                for kind, move in moves
            ],
            "reasons": RejectionReason.choices,
        },
    )


# Selection rounds ---------------------------------------------------------------------------------


class DrawForm(forms.Form):
    places = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=10_000)


@workspace_view(Right.SELECTION_RUN)
def vacancy_rounds(request: HttpRequest, pk: int) -> HttpResponse:
    """The vacancy's rounds and the button that draws (a lottery) or ranks a new draft."""
    vacancy = _vacancy(request, pk)
    form = DrawForm(
        request.POST if request.method == "POST" else None, initial={"places": vacancy.positions}
    )
    if request.method == "POST" and form.is_valid():
        try:
            selection_round = round_draw(
                actor=request.user, vacancy=vacancy, places=form.cleaned_data["places"]
            )
        except DomainError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, _messages_of(error))
        else:
            messages.success(request, _("The round is drawn. Check it, then publish it."))
            return redirect(selection_round)
    rounds = (
        SelectionRound.objects.filter(vacancy=vacancy)
        .annotate(entry_count=Count("entries"))
        .select_related("created_by")
    )
    return render(
        request,
        "workspace/recruitment/vacancy_rounds.html",
        {
            "vacancy": vacancy,
            "rounds": rounds,
            "form": form,
            "final": any(r.status == RoundStatus.PUBLISHED for r in rounds),
        },
    )


def _round(request: HttpRequest, public_id: str) -> SelectionRound:
    return get_object_or_404(
        SelectionRound.objects.filter(
            vacancy__in=Vacancy.objects.visible_to(request.user)
        ).select_related("vacancy__country", "created_by"),
        public_id=public_id,
    )


def audit_tables(audit: dict[str, Any]) -> list[dict[str, Any]]:
    """The round's outcome audit as tables: one per dimension, groups with readable names."""
    region_names = {region.code: region.name for region in GeorgianRegion.objects.all()}
    titles = {
        "sex": gettext_lazy("Sex"),
        "age_band": gettext_lazy("Age band"),
        "region": gettext_lazy("Region"),
    }
    names = {"sex": dict(Sex.choices), "age_band": {}, "region": region_names}
    return [
        {
            "title": titles[dimension],
            "rows": [
                {"group": names[dimension].get(group, group), **row}
                for group, row in audit.get(dimension, {}).items()
            ],
        }
        for dimension in DIMENSIONS
    ]


@workspace_view(Right.SELECTION_RUN)
def selection_round(request: HttpRequest, public_id: str) -> HttpResponse:
    selection_round = _round(request, public_id)
    entries = list(
        selection_round.entries.select_related("application__job_seeker").order_by("position")
    )
    access_record_many(
        actor=request.user,
        subjects=[e.application.job_seeker for e in entries],
        action=AccessAction.VIEW,
        purpose="selection round",
    )
    return render(
        request,
        "workspace/recruitment/round.html",
        {
            "round": selection_round,
            "entries": entries,
            "tables": audit_tables(selection_round.audit),
            "flagged": flagged_groups(selection_round.audit),
            "summary": selection_round.audit.get("summary", {}),
        },
    )


@workspace_view(Right.SELECTION_RUN)
@require_POST
def round_publish_view(request: HttpRequest, public_id: str) -> HttpResponse:
    selection_round = _round(request, public_id)
    try:
        round_publish(actor=request.user, selection_round=selection_round)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The round is published: it is final and public."))
    return redirect(selection_round)
