"""Applications: starting one (the person on the portal or the API, or an officer from a
reviewed shortlist) and moving it along its stages (gza/recruitment/workflow.py) with its log
and audit. Selection rounds live in gza/recruitment/selection.py and use `move_locked()`.

Every move locks the application's row, so two people moving one application at once cannot
both start from the same stage: the second is checked against the stage the first left.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.demand.enums import VacancyStatus
from gza.demand.models import Vacancy
from gza.matching.enums import EntryDecision
from gza.matching.models import MatchRun, MatchRunEntry
from gza.recruitment.enums import (
    ActorKind,
    RejectionReason,
    RoundOutcome,
    RoundStatus,
    Stage,
    StartedVia,
)
from gza.recruitment.models import (
    Application,
    ApplicationEvent,
    SelectionRound,
    SelectionRoundEntry,
)
from gza.recruitment.workflow import (
    APPLICATION_WORKFLOW,
    HOLDING_A_PLACE,
    MOVERS,
    ON_BEHALF,
    may_move,
    moves_for,
)
from gza.registry.models import JobSeeker

NOTE_MAX = 2000


class Refusal:
    """This module's refusals, as constants so tests and callers can name them."""

    WRONG_STAGE = _(
        "This application is at the stage “%(stage)s”: it cannot be moved to “%(target)s”."
    )
    UNKNOWN_MOVE = _("“%(move)s” is not a move of an application.")
    STALE = _(
        "Someone else moved this application meanwhile: it is now at the stage “%(stage)s”. "
        "Check it and try again."
    )
    NOT_OPEN = _(
        "This vacancy does not take applications now: it is not published or its deadline has "
        "passed."
    )
    NOT_ELIGIBLE = _("You do not meet this vacancy's conditions: %(reasons)s")
    ALREADY_APPLIED = _("This person has already applied for this vacancy.")
    LINE_NEEDED = _("Name the line of the reviewed shortlist the application starts from.")
    NOT_KEPT = _("The reviewed shortlist excluded this person: only kept lines are started.")
    LINE_MISMATCH = _("This shortlist line is about another person or vacancy.")
    NOT_RECRUITING = _(
        "The vacancy is %(status)s: applications are started only for a published or closed "
        "vacancy."
    )
    REASON_REQUIRED = _("Give the reason for the rejection.")
    NOTE_FOR_OTHER = _("The reason is “other”: say why in the note.")
    NOTE_ON_BEHALF = _(
        "You record someone else's decision: say in the note whose it is and how it reached you."
    )
    NOTE_TOO_LONG = _("Keep the note under %(limit)s characters.")


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) and actor.pk else None


def _signed_in(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


def notify_person(job_seeker: JobSeeker, kind: str, **context: Any) -> None:
    """Tell the person, in their language, once the transaction commits
    (gza/registry/notifications.py)."""
    from gza.registry.notifications import notify

    notify(job_seeker, kind, **context)


# Who acts ----------------------------------------------------------------------------------------


def capacities(actor: Any, application: Application) -> set[str]:
    """The ActorKinds in which `actor` may act on `application` (none: not theirs)."""
    if not _signed_in(actor):
        return set()
    found: set[str] = set()
    if actor.role == Role.JOB_SEEKER and application.job_seeker.user_id == actor.pk:
        found.add(ActorKind.PERSON)
    employer = application.vacancy.employer
    if (
        actor.role == Role.EMPLOYER
        and actor.organisation_id
        and employer is not None
        and employer.organisation_id == actor.organisation_id
    ):
        found.add(ActorKind.EMPLOYER)
    if (
        has_right(actor, Right.APPLICATIONS_MANAGE)
        and Application.objects.visible_to(actor).filter(pk=application.pk).exists()
    ):
        found.add(ActorKind.OFFICER)
    return found


def application_moves_for(actor: Any, application: Application) -> list[tuple[str, Any]]:
    """The moves `actor` may make now, each with the capacity it is made in: (ActorKind,
    Transition), the person's and employer's own capacity before the officer's."""
    kinds = capacities(actor, application)
    out = []
    for move in moves_for(application.stage, kinds):
        for kind in (ActorKind.PERSON, ActorKind.EMPLOYER, ActorKind.OFFICER):
            if kind in kinds and may_move(move.name, application.stage, kind):
                out.append((kind, move))
                break
    return out


# Starting ----------------------------------------------------------------------------------------


def _person_may_apply(actor: Any, job_seeker: JobSeeker, vacancy: Vacancy) -> Decimal:
    """The portal's and the API's rules; returns the match score."""
    from gza.matching import engine

    if not (_signed_in(actor) and actor.role == Role.JOB_SEEKER and job_seeker.user_id == actor.pk):
        raise DomainError(DomainError.NOT_PERMITTED)
    if not Vacancy.objects.open_for_applications().filter(pk=vacancy.pk).exists():
        raise DomainError(Refusal.NOT_OPEN)
    scored, failures = engine.explain(job_seeker, vacancy)
    if failures:
        # Joined lazily, so the sentences render in the language the refusal is shown in.
        reasons = format_lazy(" ".join(["{}"] * len(failures)), *failures)
        raise DomainError(Refusal.NOT_ELIGIBLE, reasons=reasons)
    return scored.total


def _line_checked(
    actor: Any, job_seeker: JobSeeker, vacancy: Vacancy, entry: MatchRunEntry | None
) -> Decimal:
    """The rules for starting from a shortlist; returns the line's score."""
    from gza.matching.runs import require_reviewed

    if not has_right(actor, Right.APPLICATIONS_MANAGE):
        raise DomainError(DomainError.NOT_PERMITTED)
    if entry is None:
        raise DomainError(Refusal.LINE_NEEDED)
    require_reviewed(MatchRun.objects.get(pk=entry.run_id))
    if entry.job_seeker_id != job_seeker.pk or entry.vacancy_id != vacancy.pk:
        raise DomainError(Refusal.LINE_MISMATCH)
    if entry.decision != EntryDecision.KEPT:
        raise DomainError(Refusal.NOT_KEPT)
    if not (
        JobSeeker.objects.visible_to(actor).filter(pk=job_seeker.pk).exists()
        and Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).exists()
    ):
        raise DomainError(DomainError.NOT_PERMITTED)
    if vacancy.status not in (VacancyStatus.PUBLISHED, VacancyStatus.CLOSED):
        raise DomainError(Refusal.NOT_RECRUITING, status=vacancy.get_status_display())
    return entry.score


def application_start(
    *,
    actor: Any,
    job_seeker: JobSeeker,
    vacancy: Vacancy,
    via: StartedVia | str,
    shortlist_entry: MatchRunEntry | None = None,
) -> Application:
    """Start one application of `job_seeker` for `vacancy`.

    PORTAL and API: the person themself, for a vacancy open for applications whose hard
    filters they pass (the matching engine's: active record, consent, not placed now, the
    vacancy's eligibility rules). SHORTLIST: an officer, from a kept line of a reviewed
    shortlist (stage SHORTLISTED, the line's score). One application per person and vacancy."""
    if via == StartedVia.SHORTLIST:
        score = _line_checked(actor, job_seeker, vacancy, shortlist_entry)
        stage, kind, transition = Stage.SHORTLISTED, ActorKind.OFFICER, "start_from_shortlist"
    elif via in (StartedVia.PORTAL, StartedVia.API):
        score = _person_may_apply(actor, job_seeker, vacancy)
        stage, kind, transition = Stage.APPLIED, ActorKind.PERSON, "apply"
        shortlist_entry = None
    else:
        raise DomainError(DomainError.NOT_PERMITTED)
    with transaction.atomic():
        if Application.objects.filter(job_seeker=job_seeker, vacancy=vacancy).exists():
            raise DomainError(Refusal.ALREADY_APPLIED)
        now = timezone.now()
        application = Application(
            job_seeker=job_seeker,
            vacancy=vacancy,
            stage=stage,
            stage_since=now,
            started_via=via,
            shortlist_entry=shortlist_entry,
            match_score=score,
            created_by=_user(actor),
        )
        application.full_clean(validate_constraints=False)
        try:
            # Two requests at once (a double click) pass the check above together; the unique
            # constraint lets one in and the savepoint turns the other into the same refusal.
            with transaction.atomic():
                application.save()
        except IntegrityError:
            raise DomainError(Refusal.ALREADY_APPLIED) from None
        ApplicationEvent.objects.create(
            application=application,
            transition=transition,
            from_stage="",
            to_stage=stage,
            actor=_user(actor),
            actor_kind=kind,
            occurred_at=now,
        )
        audit_record(
            actor=_user(actor),
            verb=AuditVerb.CREATED,
            target=application,
            payload={"stage": stage, "via": str(via), "vacancy": vacancy.pk},
        )
        notify_person(job_seeker, "application_received", vacancy=vacancy.title)
    return application


def applications_from_shortlist(*, actor: Any, run: MatchRun) -> list[Application]:
    """Start an application for every kept line of a reviewed shortlist that has none yet
    (people who already applied keep their application)."""
    from gza.matching.runs import kept_entries

    if not has_right(actor, Right.APPLICATIONS_MANAGE):
        raise DomainError(DomainError.NOT_PERMITTED)
    started = []
    with transaction.atomic():
        entries = kept_entries(run).select_related("job_seeker", "vacancy")
        applied = set(
            Application.objects.filter(vacancy_id=run.vacancy_id).values_list(
                "job_seeker_id", flat=True
            )
        )
        for entry in entries:
            if entry.job_seeker_id in applied:
                continue
            started.append(
                application_start(
                    actor=actor,
                    job_seeker=entry.job_seeker,
                    vacancy=entry.vacancy,
                    via=StartedVia.SHORTLIST,
                    shortlist_entry=entry,
                )
            )
    return started


# Moving ------------------------------------------------------------------------------------------


def _checked_reason(move_name: str, as_: str, reason_code: str, note: str) -> str:
    """The reason code the move keeps (only a rejection keeps one); a ValidationError when a
    reason or note is missing."""
    errors: dict[str, Any] = {}
    if len(note) > NOTE_MAX:
        errors["note"] = ValidationError(
            Refusal.NOTE_TOO_LONG, code="too_long", params={"limit": NOTE_MAX}
        )
    move = APPLICATION_WORKFLOW.transitions[move_name]
    if move.needs_reason:
        if reason_code not in RejectionReason.values:
            errors["reason_code"] = ValidationError(Refusal.REASON_REQUIRED, code="required")
        elif reason_code == RejectionReason.OTHER and not note:
            errors["note"] = ValidationError(Refusal.NOTE_FOR_OTHER, code="required")
    else:
        reason_code = ""
    if as_ == ActorKind.OFFICER and move_name in ON_BEHALF and not note:
        errors["note"] = ValidationError(Refusal.NOTE_ON_BEHALF, code="on_behalf")
    if errors:
        raise ValidationError(errors)
    return reason_code


def move_locked(
    application: Application,
    transition: str,
    *,
    actor: Any,
    as_: str,
    reason_code: str = "",
    note: str = "",
) -> Application:
    """Make a move on an application whose row the caller has locked, inside the caller's
    transaction: the workflow's check, the event row, the audit. Rights are the caller's
    business (application_move checks them; selection rounds move as SYSTEM)."""
    move = APPLICATION_WORKFLOW.transitions.get(transition)
    if move is None:
        raise DomainError(Refusal.UNKNOWN_MOVE, move=transition)
    if not may_move(transition, application.stage, as_):
        if as_ not in MOVERS[transition]:
            raise DomainError(DomainError.NOT_PERMITTED)
        raise DomainError(
            Refusal.WRONG_STAGE,
            stage=Stage(application.stage).label,
            target=Stage(move.target).label,
        )
    note = (note or "").strip()
    reason_code = _checked_reason(transition, as_, reason_code or "", note)
    from_stage = application.stage
    now = timezone.now()
    ApplicationEvent.objects.create(
        application=application,
        transition=move.name,
        from_stage=from_stage,
        to_stage=move.target,
        actor=_user(actor),
        actor_kind=as_,
        reason_code=reason_code,
        note=note,
        occurred_at=now,
    )
    application.stage = move.target
    application.stage_since = now
    fields = ["stage", "stage_since"]
    if move.needs_reason:
        application.rejection_reason = reason_code
        fields.append("rejection_reason")
    application.save(update_fields=fields)
    audit_record(
        actor=_user(actor),
        verb=AuditVerb.UPDATED,
        target=application,
        payload={
            "changes": {"stage": [from_stage, move.target]},
            "transition": move.name,
            "as": str(as_),
            **({"reason_code": reason_code} if reason_code else {}),
        },
    )
    if move.target == Stage.SELECTED:
        notify_person(application.job_seeker, "selected", vacancy=application.vacancy.title)
    elif move.target == Stage.PRE_DEPARTURE:
        from gza.mobility.services import checklist_missing

        notify_person(
            application.job_seeker,
            "documents_needed",
            vacancy=application.vacancy.title,
            items=",".join(checklist_missing(application)),
        )
    if move.name in ("withdraw", "decline_offer") and from_stage in HOLDING_A_PLACE:
        promote_next(application)
    return application


def application_move(
    *,
    actor: Any,
    application: Application,
    transition: str,
    as_: ActorKind | str,
    reason_code: str = "",
    note: str = "",
    expected_stage: str = "",
) -> Application:
    """Move an application (transition names: gza/recruitment/workflow.py) as the person,
    the employer or an officer. A move not open from the current stage is refused naming that
    stage; `expected_stage`, the stage the actor's page showed, turns a move made on a stale
    page into a clear refusal instead of a move from a stage they did not see."""
    if as_ == ActorKind.SYSTEM or as_ not in ActorKind.values:
        raise DomainError(DomainError.NOT_PERMITTED)
    with transaction.atomic():
        # Row lock: of two people moving this application at once, the second waits for the
        # first to commit and is then checked against the stage the first one left.
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("job_seeker", "vacancy__employer")
            .get(pk=application.pk)
        )
        if as_ not in capacities(actor, locked):
            raise DomainError(DomainError.NOT_PERMITTED)
        if expected_stage and expected_stage != locked.stage:
            raise DomainError(Refusal.STALE, stage=Stage(locked.stage).label)
        move_locked(locked, transition, actor=actor, as_=as_, reason_code=reason_code, note=note)
    return locked


def promote_next(application: Application) -> Application | None:
    """A place freed by `application`'s withdrawal goes to the first applicant still waiting
    on the waitlist of its vacancy's latest published round, moved by Gza (SYSTEM)."""
    latest = (
        SelectionRound.objects.filter(
            vacancy_id=application.vacancy_id, status=RoundStatus.PUBLISHED
        )
        .order_by("-published_at", "-id")
        .first()
    )
    if latest is None:
        return None
    waiting = (
        SelectionRoundEntry.objects.filter(
            round=latest, outcome=RoundOutcome.WAITLISTED, application__stage=Stage.WAITLISTED
        )
        .order_by("position")
        .values_list("application_id", "position")
    )
    for application_id, position in waiting:
        # Locked and read again: two withdrawals at once must not promote the same person.
        candidate = (
            Application.objects.select_for_update(of=("self",))
            .select_related("job_seeker", "vacancy")
            .get(pk=application_id)
        )
        if candidate.stage != Stage.WAITLISTED:
            continue
        return move_locked(
            candidate,
            "promote",
            actor=None,
            as_=ActorKind.SYSTEM,
            note=f"round {latest.public_id}, position {position}",
        )
    return None
