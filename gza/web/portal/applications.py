"""Applications on the portal: apply for a vacancy (from its eligibility check), follow one's
own applications with their history, withdraw, accept or decline an offer; and the public page
of a published selection round, with its seed, its order and how to re-run it.

A person reaches only their own applications (`Application.objects.visible_to`): anyone
else's is a 404. Every form is a plain POST: the portal works without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.demand.models import Vacancy
from gza.recruitment.enums import ActorKind, RoundStatus, StartedVia
from gza.recruitment.models import Application, ApplicationEvent, SelectionRound
from gza.recruitment.services import application_move, application_moves_for, application_start
from gza.registry.models import JobSeeker
from gza.web.portal.privacy import own_record_view

PERSON_MOVES = ("withdraw", "accept_offer", "decline_offer")


def _messages_of(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(m) for m in error.messages)
    return str(error)


@own_record_view
@require_POST
def apply(request: HttpRequest, person: JobSeeker, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy.objects.published(), pk=pk)
    try:
        application_start(
            actor=request.user, job_seeker=person, vacancy=vacancy, via=StartedVia.PORTAL
        )
    except DomainError as error:
        messages.error(request, _messages_of(error))
        return redirect("portal:eligibility_check", pk=vacancy.pk)
    messages.success(request, _("Your application is sent. Follow it here."))
    return redirect("portal:my_applications")


@own_record_view
def my_applications(request: HttpRequest, person: JobSeeker) -> HttpResponse:
    applications = list(
        Application.objects.visible_to(request.user)
        .select_related("vacancy__country", "vacancy__employer", "job_seeker")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("occurred_at", "id")),
            Prefetch(
                "round_entries__round",
                queryset=SelectionRound.objects.filter(status=RoundStatus.PUBLISHED),
            ),
        )
    )
    access_record(
        actor=request.user, subject=person, action=AccessAction.VIEW, purpose="self: applications"
    )
    rows = [
        {
            "application": application,
            "moves": [
                move
                for kind, move in application_moves_for(request.user, application)
                if kind == ActorKind.PERSON and move.name in PERSON_MOVES
            ],
            "rounds": [
                entry.round
                for entry in application.round_entries.all()
                if entry.round.status == RoundStatus.PUBLISHED
            ],
        }
        for application in applications
    ]
    return render(request, "portal/applications/list.html", {"rows": rows})


@own_record_view
@require_POST
def my_application_move(request: HttpRequest, person: JobSeeker, public_id: str) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.visible_to(request.user), public_id=public_id
    )
    transition = request.POST.get("transition", "")
    if transition not in PERSON_MOVES:
        raise Http404
    try:
        application_move(
            actor=request.user,
            application=application,
            transition=transition,
            as_=ActorKind.PERSON,
            expected_stage=request.POST.get("expected_stage", ""),
        )
    except (DomainError, ValidationError) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, _("Done. Your application is updated."))
    return redirect("portal:my_applications")


def lottery(request: HttpRequest, public_id: str) -> HttpResponse:
    """A published round, public: its seed, the ordered list of application numbers with their
    keys (no names), and the algorithm to re-run it."""
    selection_round = get_object_or_404(
        SelectionRound.objects.filter(status=RoundStatus.PUBLISHED).select_related(
            "vacancy__country"
        ),
        public_id=public_id,
    )
    entries = selection_round.entries.select_related("application").order_by("position")
    return render(
        request,
        "portal/applications/lottery.html",
        {
            "round": selection_round,
            "entries": entries,
            "summary": selection_round.audit.get("summary", {}),
        },
    )
