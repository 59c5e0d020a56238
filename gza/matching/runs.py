"""Match runs: the engine's ranked result recorded with its parameters, and the review a person
must make of a shortlist before anyone on it is contacted.

- `run_shortlist(vacancy)` ranks job seekers for a vacancy and stores the run with every entry
  explained component by component; the vacancy's older runs still waiting for review become
  superseded (only the newest waits).
- `review_run(run)` records a person's decision on every entry (kept, or excluded with a
  reason). `require_reviewed(run)` is the gate that a later issue (applications, contacting
  people) calls before anyone on a shortlist is contacted: only a reviewed shortlist passes, and
  only its kept entries may be contacted (`kept_entries`).
- `run_recommendations(person)` stores the vacancies recommended to a person (no review: the
  person sees them and decides). The portal computes recommendations on the fly instead.
- `set_weights(agreement)` puts a scheme's weights (or the national default) in force.
- `rematch_waiting()` re-runs, as automatic runs, the shortlists of published vacancies that
  have no run or one still waiting for review (the background task in gza/matching/tasks.py).

**Explanations are stored in every language.** The engine's detail sentences and flags are
rendered in each of `settings.LANGUAGES` when the run is stored
(`{"occupation": {"value", "weight", "detail": {"ka": ..., "en": ...}}, ...}`), so a run reads in
either language later and says what was computed then, even after the profile, the vacancy or
the engine's wording changed. Re-rendering on display would explain today's data, not the run's.
The entry's flags (eligibility "unknown" notes) sit beside the components under the key
`"flags"` (a list of the same {language: text} maps); no component is called that.
"""

import datetime
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.demand.models import Vacancy
from gza.matching import engine
from gza.matching.components import NOT_REQUIRED
from gza.matching.enums import Component, Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import MatchRun, MatchRunEntry, MatchWeights
from gza.registry.models import JobSeeker

SHORTLIST_LIMIT = 50
RECOMMENDATION_LIMIT = 10
MAX_LIMIT = 200
FLAGS = "flags"
REASON_MAX = MatchRunEntry._meta.get_field("decision_reason").max_length


class RunRefusal:
    NOT_REVIEWED = _(
        "This shortlist has not been reviewed yet: a person must review it before anyone on it "
        "is contacted."
    )
    ALREADY_REVIEWED = _("This shortlist has already been reviewed.")
    SUPERSEDED = _("A newer run has replaced this shortlist: review the newer one.")
    NOT_A_SHORTLIST = _("Only a shortlist of job seekers is reviewed.")
    UNKNOWN_ENTRY = _("A decision names a line that is not on this shortlist.")
    NOT_ALL_VISIBLE = _(
        "Some people on this shortlist are outside your remit, so you cannot review it."
    )
    DECISION_MISSING = _("Keep or exclude this person.")
    REASON_REQUIRED = _("Say why this person is excluded.")
    REASON_TOO_LONG = _("Keep the reason under %(limit)s characters.")
    BAD_LIMIT = _("The number of results must be between 1 and %(limit)s.")


def decision_field(entry_id: int) -> str:
    """The error key (and form field) of an entry's decision."""
    return f"decision_{entry_id}"


def reason_field(entry_id: int) -> str:
    return f"reason_{entry_id}"


# Storing explanations --------------------------------------------------------------------------


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _rendered(entries: Sequence[Any]) -> list[dict[str, Any]]:
    """Each scored entry's components and flags as JSON, every text in every language. The
    language is switched once per language, not once per sentence."""
    out: list[dict[str, Any]] = [
        {
            component.name: {"value": int(component.value), "weight": int(component.weight)}
            for component in scored.components
        }
        for scored in entries
    ]
    for row in out:
        row[FLAGS] = []
    for language in _languages():
        with translation.override(language):
            for row, scored in zip(out, entries, strict=True):
                for component in scored.components:
                    row[component.name].setdefault("detail", {})[language] = str(component.detail)
                flags = row[FLAGS]
                for index, flag in enumerate(scored.flags):
                    if index == len(flags):
                        flags.append({})
                    flags[index][language] = str(flag)
    return out


def _text(texts: Mapping[str, str] | str | None) -> str:
    """A stored text in the active language, else Georgian, else any."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()))


@dataclass(frozen=True)
class ExplainedComponent:
    name: str
    label: str
    value: int
    weight: int
    detail: str

    @property
    def contribution(self) -> int:
        return self.value * self.weight


def entry_components(entry: MatchRunEntry) -> list[ExplainedComponent]:
    """An entry's stored components in Component order, with the detail in the active
    language."""
    stored = entry.components or {}
    return [
        ExplainedComponent(
            name=name,
            label=str(Component(name).label),
            value=stored[name].get("value", 0),
            weight=stored[name].get("weight", 0),
            detail=_text(stored[name].get("detail")),
        )
        for name in Component.values
        if name in stored
    ]


def entry_flags(entry: MatchRunEntry) -> list[str]:
    return [_text(flag) for flag in (entry.components or {}).get(FLAGS, [])]


def live_components(scored: Any) -> list[ExplainedComponent]:
    """A score computed just now (not stored), in the same shape as a stored entry's."""
    return [
        ExplainedComponent(
            name=component.name,
            label=str(Component(component.name).label),
            value=int(component.value),
            weight=int(component.weight),
            detail=str(component.detail),
        )
        for component in scored.components
    ]


def main_reasons(components: Iterable[ExplainedComponent], count: int = 3) -> list:
    """The components that raised the score most (value times weight), best first: what a job
    seeker is told about why a vacancy is recommended."""
    helping = [component for component in components if component.value and component.weight]
    ranked = sorted(helping, key=lambda c: (-c.contribution, Component.values.index(c.name)))
    # "No experience required" is true of everyone: evidence from the profile comes first, and
    # such a sentence is given only when the profile offers nothing else.
    nothing_asked = {str(message) for message in NOT_REQUIRED}
    evidence = [c for c in ranked if str(c.detail) not in nothing_asked]
    return evidence[:count] if evidence else ranked[:1]


def _related(scored) -> bool:
    """A vacancy is recommended only for work related to the person's occupations (any ISCO
    closeness or ESCO relation): a well-scored vacancy in an unrelated trade is no advice."""
    return any(c.name == Component.OCCUPATION and c.value > 0 for c in scored.components)


def recommendations_for(person: JobSeeker, *, limit: int = RECOMMENDATION_LIMIT) -> list[dict]:
    """Open vacancies related to the person's occupations, best first, each with its main
    reasons: computed on the fly (no run is stored for a page view). The portal's page and the
    API use it."""
    result = engine.recommend(person, limit=limit)
    vacancies = Vacancy.objects.select_related("country").in_bulk(
        [scored.vacancy_id for scored in result.entries]
    )
    items = []
    for scored in result.entries:
        vacancy = vacancies.get(scored.vacancy_id)
        if vacancy is None or not _related(scored):
            continue
        components = live_components(scored)
        items.append(
            {
                "vacancy": vacancy,
                "total": scored.total,
                "components": components,
                "reasons": [reason.detail for reason in main_reasons(components)],
            }
        )
    return items


# Rights ------------------------------------------------------------------------------------------


def _may_run(actor: User | None, vacancy: Vacancy) -> None:
    if not has_right(actor, Right.MATCHING_RUN):
        raise DomainError(DomainError.NOT_PERMITTED)
    if not Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(
            {"limit": [RunRefusal.BAD_LIMIT]}, code="bad_limit", params={"limit": MAX_LIMIT}
        )


@cache
def engine_version() -> str:
    """The engine's declared version, else a fingerprint of the scoring code (the modules that
    compute a score), so a stored run says exactly which code ranked it."""
    declared = getattr(engine, "ENGINE_VERSION", None)
    if declared:
        return str(declared)
    digest = hashlib.sha256()
    for name in ("engine.py", "components.py", "index.py", "loading.py", "weights.py"):
        path = Path(__file__).with_name(name)
        if path.exists():
            digest.update(path.read_bytes())
    return f"code-{digest.hexdigest()[:12]}"


def _parameters(result: Any, *, limit: int, as_of: datetime.datetime) -> dict[str, Any]:
    return {
        "weights": dict(result.weights),
        "limit": limit,
        "computed_for": result.computed_for.isoformat(),
        # The data the run saw: everything committed before this moment (the re-match task
        # skips a vacancy whose run is newer than the change that asked for it).
        "as_of": as_of.isoformat(),
        "engine_version": engine_version(),
    }


# Shortlists --------------------------------------------------------------------------------------


def _store_run(
    run: MatchRun,
    result: Any,
    components: list[dict],
    *,
    older,
    actor: User | None,
    trigger: str,
    limit: int,
    as_of: datetime.datetime,
    subject: dict,
) -> MatchRun:
    """Store a run and its ranked, explained entries (inside the caller's transaction); the
    runs in `older` become SUPERSEDED."""
    superseded = list(older.values_list("pk", flat=True))
    older.update(status=RunStatus.SUPERSEDED)
    run.trigger = trigger
    run.requested_by = actor if isinstance(actor, User) else None
    run.parameters = _parameters(result, limit=limit, as_of=as_of)
    run.considered = result.considered
    run.passed_filters = result.passed_filters
    run.full_clean()
    run.save()
    MatchRunEntry.objects.bulk_create(
        MatchRunEntry(
            run=run,
            rank=rank,
            job_seeker_id=scored.job_seeker_id,
            vacancy_id=scored.vacancy_id,
            score=Decimal(scored.total),
            components=explained,
        )
        for rank, (scored, explained) in enumerate(
            zip(result.entries, components, strict=True), start=1
        )
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.CREATED,
        target=run,
        payload={
            "direction": run.direction,
            **subject,
            "trigger": trigger,
            "entries": len(result.entries),
            "superseded": superseded,
        },
    )
    return run


def _store_shortlist(
    vacancy: Vacancy,
    result: Any,
    *,
    actor: User | None,
    trigger: str,
    limit: int,
    as_of: datetime.datetime,
) -> MatchRun:
    components = _rendered(result.entries)
    with transaction.atomic():
        # Row lock on the vacancy: an officer's run and the re-match task finishing at once
        # would each supersede the waiting runs and both stay waiting; serialised, the later
        # one supersedes the earlier.
        Vacancy.objects.select_for_update().only("pk").get(pk=vacancy.pk)
        waiting = MatchRun.objects.filter(
            direction=Direction.SHORTLIST, vacancy=vacancy, status=RunStatus.TO_REVIEW
        )
        run = _store_run(
            MatchRun(direction=Direction.SHORTLIST, vacancy=vacancy, status=RunStatus.TO_REVIEW),
            result,
            components,
            older=waiting,
            actor=actor,
            trigger=trigger,
            limit=limit,
            as_of=as_of,
            subject={"vacancy": vacancy.pk},
        )
    return run


def run_shortlist(
    vacancy: Vacancy,
    *,
    actor: User | None,
    trigger: str = RunTrigger.MANUAL,
    limit: int = SHORTLIST_LIMIT,
    today: datetime.date | None = None,
) -> MatchRun:
    """Rank job seekers for a vacancy and record the run. An officer (or a system through the
    API) needs MATCHING_RUN and must see the vacancy; automatic runs have no actor."""
    if trigger != RunTrigger.AUTOMATIC:
        _may_run(actor, vacancy)
    _check_limit(limit)
    as_of = timezone.now()
    result = engine.shortlist(vacancy, limit=limit, today=today)
    return _store_shortlist(vacancy, result, actor=actor, trigger=trigger, limit=limit, as_of=as_of)


def review_run(
    run: MatchRun,
    *,
    actor: User,
    decisions: Mapping[int, tuple[str, str]],
    note: str = "",
) -> MatchRun:
    """Record a review: every entry kept or excluded (an exclusion says why), by whom, when.

    `decisions` maps an entry's id to (EntryDecision, reason). All or nothing: a missing
    decision or an exclusion without a reason refuses the whole review, with one error per
    entry under `decision_<id>` / `reason_<id>`."""
    if run.vacancy_id is None:
        raise DomainError(RunRefusal.NOT_A_SHORTLIST)
    _may_run(actor, run.vacancy)
    with transaction.atomic():
        # Row lock: two reviewers submitting at once cannot both succeed; the second waits for
        # the first to commit, then finds the run reviewed and is refused.
        run = MatchRun.objects.select_for_update().get(pk=run.pk)
        if run.direction != Direction.SHORTLIST:
            raise DomainError(RunRefusal.NOT_A_SHORTLIST)
        if run.status == RunStatus.REVIEWED:
            raise DomainError(RunRefusal.ALREADY_REVIEWED)
        if run.status == RunStatus.SUPERSEDED:
            raise DomainError(RunRefusal.SUPERSEDED)
        entries = list(run.entries.order_by("rank"))
        if set(decisions) - {entry.pk for entry in entries}:
            raise DomainError(RunRefusal.UNKNOWN_ENTRY)
        people = {entry.job_seeker_id for entry in entries}
        if JobSeeker.objects.visible_to(actor).filter(pk__in=people).count() != len(people):
            raise DomainError(RunRefusal.NOT_ALL_VISIBLE)
        errors: dict[str, list] = {}
        for entry in entries:
            decision, reason = decisions.get(entry.pk, ("", ""))
            reason = (reason or "").strip()
            if decision not in (EntryDecision.KEPT, EntryDecision.EXCLUDED):
                errors[decision_field(entry.pk)] = [
                    ValidationError(RunRefusal.DECISION_MISSING, code="required")
                ]
            elif decision == EntryDecision.EXCLUDED and not reason:
                errors[reason_field(entry.pk)] = [
                    ValidationError(RunRefusal.REASON_REQUIRED, code="reason_required")
                ]
            elif len(reason) > REASON_MAX:
                errors[reason_field(entry.pk)] = [
                    ValidationError(
                        RunRefusal.REASON_TOO_LONG, code="too_long", params={"limit": REASON_MAX}
                    )
                ]
            entry.decision, entry.decision_reason = decision, reason
        if errors:
            raise ValidationError(errors)
        MatchRunEntry.objects.bulk_update(entries, ["decision", "decision_reason"])
        run.status = RunStatus.REVIEWED
        run.reviewed_by = actor
        run.reviewed_at = timezone.now()
        run.review_note = note.strip()
        run.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        excluded = [e.pk for e in entries if e.decision == EntryDecision.EXCLUDED]
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=run,
            payload={
                "changes": {"status": [RunStatus.TO_REVIEW, RunStatus.REVIEWED]},
                "kept": len(entries) - len(excluded),
                "excluded": excluded,
            },
        )
    return run


def run_visible_to(user, public_id, runs=None) -> MatchRun:
    """A run in the user's scope (a shortlist of a vacancy they see, or recommendations for a
    person they see); anything else, or an unknown id, is a 404."""
    run = get_object_or_404(runs if runs is not None else MatchRun.objects, public_id=public_id)
    if run.vacancy_id and not Vacancy.objects.visible_to(user).filter(pk=run.vacancy_id).exists():
        raise Http404
    if (
        run.job_seeker_id
        and not JobSeeker.objects.visible_to(user).filter(pk=run.job_seeker_id).exists()
    ):
        raise Http404
    return run


def require_reviewed(run: MatchRun) -> MatchRun:
    """The gate before anyone on a shortlist is contacted (applications, a later issue, call
    it): a DomainError unless the run is a shortlist a person has reviewed. Contact only its
    `kept_entries`."""
    if run.direction != Direction.SHORTLIST or run.status != RunStatus.REVIEWED:
        raise DomainError(RunRefusal.NOT_REVIEWED)
    return run


def kept_entries(run: MatchRun):
    """The people a reviewed shortlist keeps, by rank."""
    require_reviewed(run)
    return run.entries.filter(decision=EntryDecision.KEPT).order_by("rank")


# Recommendations ---------------------------------------------------------------------------------


def run_recommendations(
    job_seeker: JobSeeker,
    *,
    actor: User | None,
    trigger: str = RunTrigger.MANUAL,
    limit: int = RECOMMENDATION_LIMIT,
    today: datetime.date | None = None,
) -> MatchRun:
    """Rank open vacancies for a person and record the run (for an officer's record of what was
    proposed; no review is needed, so the run is RECORDED). The person's older recommendation
    runs are superseded; require_reviewed refuses them (they are not shortlists)."""
    if trigger != RunTrigger.AUTOMATIC and not (
        has_right(actor, Right.MATCHING_RUN)
        and JobSeeker.objects.visible_to(actor).filter(pk=job_seeker.pk).exists()
    ):
        raise DomainError(DomainError.NOT_PERMITTED)
    _check_limit(limit)
    as_of = timezone.now()
    result = engine.recommend(job_seeker, limit=limit, today=today)
    components = _rendered(result.entries)
    with transaction.atomic():
        older = MatchRun.objects.filter(
            direction=Direction.RECOMMENDATIONS,
            job_seeker=job_seeker,
            status=RunStatus.RECORDED,
        )
        run = _store_run(
            MatchRun(
                direction=Direction.RECOMMENDATIONS,
                job_seeker=job_seeker,
                status=RunStatus.RECORDED,
            ),
            result,
            components,
            older=older,
            actor=actor,
            trigger=trigger,
            limit=limit,
            as_of=as_of,
            subject={"job_seeker": job_seeker.pk},
        )
    return run


# Weights -----------------------------------------------------------------------------------------


WEIGHT_FIELDS = list(Component.values)


def weights_row(agreement: Any | None) -> MatchWeights | None:
    """The stored weights of a scheme, or with None the national default row (if set)."""
    if agreement is None:
        return MatchWeights.objects.filter(agreement__isnull=True).first()
    return MatchWeights.objects.filter(agreement=agreement).first()


def set_weights(agreement: Any | None, values: Mapping[str, int], *, actor: User) -> MatchWeights:
    """Put a scheme's weights (or, with no agreement, the national default) in force. Refused
    whole when they make no sense (negative, above 100, missing, all zero): nothing is stored.
    Shortlists still waiting for review are re-run with the new weights in the background."""
    if not has_right(actor, Right.MATCHING_WEIGHTS):
        raise DomainError(DomainError.NOT_PERMITTED)
    clean = engine.validate_weights(dict(values))
    with transaction.atomic():
        rows = MatchWeights.objects.select_for_update()
        weights = (
            rows.filter(agreement__isnull=True)
            if agreement is None
            else rows.filter(agreement=agreement)
        ).first()
        before = weights.as_dict() if weights else None
        if weights is None:
            weights = MatchWeights(agreement=agreement)
        for name in WEIGHT_FIELDS:
            setattr(weights, name, clean[name])
        weights.updated_by = actor
        weights.full_clean()
        weights.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED if before is None else AuditVerb.UPDATED,
            target=weights,
            payload={
                "agreement": getattr(agreement, "pk", None),
                "before": before,
                "after": weights.as_dict(),
            },
        )
        from gza.matching.tasks import schedule_rematch

        affected = None
        if agreement is not None:
            affected = list(
                Vacancy.objects.published().filter(agreement=agreement).values_list("pk", flat=True)
            )
        if affected != []:
            schedule_rematch(vacancy_ids=affected)
    return weights


# Re-matching -------------------------------------------------------------------------------------


def vacancies_to_rematch(vacancy_ids: Iterable[int] | None = None):
    """Published vacancies whose shortlist may be re-run on its own: those with a run waiting
    for review, and those with no reviewed run (a reviewed shortlist stands until an officer
    runs matching again)."""
    runs = MatchRun.objects.filter(direction=Direction.SHORTLIST, vacancy=OuterRef("pk"))
    vacancies = Vacancy.objects.published().filter(
        Exists(runs.filter(status=RunStatus.TO_REVIEW))
        | ~Exists(runs.filter(status=RunStatus.REVIEWED))
    )
    if vacancy_ids is not None:
        vacancies = vacancies.filter(pk__in=list(vacancy_ids))
    return vacancies.order_by("pk")


def _fresh_since(vacancy_ids: list[int], requested_at: datetime.datetime) -> set[int]:
    """Vacancies whose waiting run already saw every change made before `requested_at` (a
    later task, or an officer, got there first)."""
    fresh = set()
    runs = MatchRun.objects.filter(
        Q(direction=Direction.SHORTLIST, status=RunStatus.TO_REVIEW, vacancy_id__in=vacancy_ids)
    ).values_list("vacancy_id", "parameters")
    for vacancy_id, parameters in runs:
        as_of = parse_datetime((parameters or {}).get("as_of") or "")
        if as_of is not None and as_of >= requested_at:
            fresh.add(vacancy_id)
    return fresh


def rematch_waiting(
    *,
    vacancy_ids: Iterable[int] | None = None,
    requested_at: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Re-run as automatic runs the shortlists of `vacancies_to_rematch()` (all, or those
    named). Each run is stored in its own transaction; returns how many were stored and
    skipped."""
    as_of = timezone.now()
    vacancies = list(vacancies_to_rematch(vacancy_ids))
    skipped: set[int] = set()
    if requested_at is not None:
        skipped = _fresh_since([v.pk for v in vacancies], requested_at)
    vacancies = [v for v in vacancies if v.pk not in skipped]
    if not vacancies:
        return {"stored": 0, "skipped": len(skipped), "unchanged": 0}
    if vacancy_ids is None:
        # Every published vacancy at once: the engine's batch path is much faster than one
        # shortlist at a time.
        results = engine.rematch_all(limit=SHORTLIST_LIMIT, today=today)
    else:
        results = {v.pk: engine.shortlist(v, limit=SHORTLIST_LIMIT, today=today) for v in vacancies}
    waiting = _waiting_lists([v.pk for v in vacancies])
    stored = unchanged = 0
    for vacancy in vacancies:
        result = results.get(vacancy.pk)
        if result is None:
            continue
        ranked = [(entry.job_seeker_id, entry.total) for entry in result.entries]
        if waiting.get(vacancy.pk) == ranked:
            # The same people with the same scores: the run waiting for review stands, so a
            # profile change elsewhere does not reset a reviewer's work or add rows.
            unchanged += 1
            continue
        _store_shortlist(
            vacancy,
            result,
            actor=None,
            trigger=RunTrigger.AUTOMATIC,
            limit=SHORTLIST_LIMIT,
            as_of=as_of,
        )
        stored += 1
    return {"stored": stored, "skipped": len(skipped), "unchanged": unchanged}


def _waiting_lists(vacancy_ids: list[int]) -> dict[int, list[tuple[int, Decimal]]]:
    """The ranked (person, score) lines of each vacancy's run waiting for review."""
    lists: dict[int, list[tuple[int, Decimal]]] = {
        vacancy_id: []
        for vacancy_id in MatchRun.objects.filter(
            direction=Direction.SHORTLIST, status=RunStatus.TO_REVIEW, vacancy_id__in=vacancy_ids
        ).values_list("vacancy_id", flat=True)
    }
    rows = (
        MatchRunEntry.objects.filter(
            run__direction=Direction.SHORTLIST,
            run__status=RunStatus.TO_REVIEW,
            run__vacancy_id__in=vacancy_ids,
        )
        .order_by("run__vacancy_id", "rank")
        .values_list("run__vacancy_id", "job_seeker_id", "score")
    )
    for vacancy_id, job_seeker_id, score in rows:
        lists.setdefault(vacancy_id, []).append((job_seeker_id, score))
    return lists
