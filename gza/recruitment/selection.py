"""Selection rounds: choosing among a vacancy's eligible applicants when it is oversubscribed.

A **lottery** (Vacancy.selection_method = lottery) orders the eligible applications by
sha256("<seed>:<application public id>") in hex, the seed being 32 random bytes drawn when the
round is drawn; the first `places` are selected, the rest waitlisted in that order. A
**ranking** orders them by the matching engine's score, best first, equal scores by the same
hash. Either way the order depends only on the seed and the applications' public ids (and, for
a ranking, the scores), all published, so anyone can re-run it (`lottery_order`,
`verify_round`, `manage.py verify_lottery`).

A round is a draft until published; publishing moves the applications (as SYSTEM) and makes it
final: a vacancy with a published round is never drawn again. Every draw is audited with its
seed, and a published round says how many drafts were drawn before it, so drawing until a
result pleases would show.

The outcome audit compares selection rates (selected / eligible) by sex, age band and region.
Those attributes are read here and nowhere else in selection: they never enter the order.
See docs/decisions/0021-applications-and-fair-selection.md.
"""

import datetime
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.core.errors import DomainError
from gza.core.roles import Right, has_right
from gza.demand.enums import SelectionMethod
from gza.demand.models import Vacancy
from gza.recruitment.enums import ActorKind, RoundOutcome, RoundStatus
from gza.recruitment.models import Application, SelectionRound, SelectionRoundEntry
from gza.recruitment.services import move_locked, notify_person
from gza.recruitment.workflow import ELIGIBLE_FOR_SELECTION
from gza.registry.models import JobSeeker

# A group is flagged when its rate is below this share of the best group's (the "four-fifths
# rule" of adverse-impact analysis).
THRESHOLD = Fraction(4, 5)
# Groups with fewer eligible applicants are reported but neither flagged nor taken as the best:
# with four people one selection more or less moves the rate by 25 points.
MIN_GROUP = 5
AGE_BANDS: list[tuple[int, int | None, str]] = [
    (18, 24, "18-24"),
    (25, 34, "25-34"),
    (35, 44, "35-44"),
    (45, 54, "45-54"),
    (55, None, "55+"),
]
UNDER_18 = "<18"
DIMENSIONS = ("sex", "age_band", "region")


class RoundRefusal:
    FINAL = _(
        "This vacancy's selection round was published on %(date)s: it is final and is never "
        "drawn again. Places freed later go to its waitlist."
    )
    ALREADY_PUBLISHED = _("This round is already published: it is final.")
    NO_ELIGIBLE = _("No application of this vacancy is eligible for selection now.")
    STALE = _(
        "Applications in this round have moved since the draw (someone withdrew or was "
        "rejected): draw the round again before publishing it."
    )
    PLACES = _("Give at least one place.")


# The order ----------------------------------------------------------------------------------------


def draw_key(seed: str, public_id: Any) -> str:
    """An application's key in a round: sha256 of "<seed>:<public id>", in hex."""
    return hashlib.sha256(f"{seed}:{public_id}".encode()).hexdigest()


def lottery_order(seed: str, public_ids: Iterable[Any]) -> list[tuple[str, str]]:
    """(public id, key) of each application, in the lottery's order: by key."""
    return sorted(((str(p), draw_key(seed, p)) for p in public_ids), key=lambda row: row[1])


def ranking_order(seed: str, scored: Iterable[tuple[Any, Decimal]]) -> list[tuple[str, str]]:
    """(public id, key) in the ranking's order: score descending, then by key."""
    rows = [(str(p), draw_key(seed, p), Decimal(score)) for p, score in scored]
    rows.sort(key=lambda row: (-row[2], row[1]))
    return [(p, key) for p, key, _score in rows]


@dataclass
class Verification:
    matches: bool
    problems: list[str] = field(default_factory=list)


def verify_round(selection_round: SelectionRound) -> Verification:
    """Recompute a round's order from its published seed and list alone, and say whether it
    is the order recorded."""
    entries = list(selection_round.entries.select_related("application").order_by("position"))
    problems = []
    for entry in entries:
        expected = draw_key(selection_round.seed, entry.application.public_id)
        if entry.draw_key != expected:
            problems.append(f"position {entry.position}: key {entry.draw_key} != {expected}")
    ids = [entry.application.public_id for entry in entries]
    if selection_round.method == SelectionMethod.LOTTERY:
        order = lottery_order(selection_round.seed, ids)
    else:
        order = ranking_order(
            selection_round.seed, [(e.application.public_id, e.score or 0) for e in entries]
        )
    recorded = [str(public_id) for public_id in ids]
    if [public_id for public_id, _key in order] != recorded:
        problems.append("the recorded positions are not the recomputed order")
    for entry in entries:
        should = (
            RoundOutcome.SELECTED
            if entry.position <= selection_round.places
            else RoundOutcome.WAITLISTED
        )
        if entry.outcome != should:
            problems.append(f"position {entry.position}: outcome {entry.outcome} != {should}")
    return Verification(matches=not problems, problems=problems)


# The outcome audit --------------------------------------------------------------------------------


def age_band(age: int) -> str:
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return UNDER_18


def _groups_of(person: JobSeeker, on: datetime.date) -> dict[str, str]:
    return {
        "sex": person.sex,
        "age_band": age_band(person.age_on(on)),
        "region": person.municipality.region_id,
    }


def outcome_audit(rows: Sequence[tuple[JobSeeker, bool]], on: datetime.date) -> dict[str, Any]:
    """Selection rates by sex, age band (on `on`) and region: for each group the eligible and
    selected counts, the rate, whether it is judged (MIN_GROUP eligible or more) and whether it
    is flagged (judged, and its rate below THRESHOLD x the best judged group's rate)."""
    counts: dict[str, dict[str, list[int]]] = {d: defaultdict(lambda: [0, 0]) for d in DIMENSIONS}
    for person, selected in rows:
        for dimension, group in _groups_of(person, on).items():
            counts[dimension][group][0] += 1
            counts[dimension][group][1] += int(selected)
    audit: dict[str, Any] = {
        "summary": {
            "as_of": on.isoformat(),
            "eligible": len(rows),
            "selected": sum(1 for _p, s in rows if s),
            "threshold": str(THRESHOLD.numerator / THRESHOLD.denominator),
            "min_group": MIN_GROUP,
        }
    }
    for dimension in DIMENSIONS:
        rates = {g: Fraction(s, e) for g, (e, s) in counts[dimension].items()}
        judged = [rates[g] for g, (e, _s) in counts[dimension].items() if e >= MIN_GROUP]
        best = max(judged) if judged else None
        audit[dimension] = {
            group: {
                "eligible": eligible,
                "selected": selected,
                "rate": round(float(rates[group]), 4),
                "judged": eligible >= MIN_GROUP,
                "flagged": bool(
                    eligible >= MIN_GROUP and best is not None and rates[group] < THRESHOLD * best
                ),
            }
            for group, (eligible, selected) in sorted(counts[dimension].items())
        }
    return audit


def flagged_groups(audit: dict[str, Any]) -> list[tuple[str, str]]:
    """(dimension, group) of every flagged group of a round's audit."""
    return [
        (dimension, group)
        for dimension in DIMENSIONS
        for group, row in audit.get(dimension, {}).items()
        if row.get("flagged")
    ]


# Drawing and publishing ---------------------------------------------------------------------------


def _may_select(actor: Any, vacancy: Vacancy) -> None:
    if not has_right(actor, Right.SELECTION_RUN):
        raise DomainError(DomainError.NOT_PERMITTED)
    if not Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def eligible_applications(
    vacancy: Vacancy, today: datetime.date
) -> list[tuple[Application, Decimal]]:
    """The vacancy's applications a round chooses among, with their match score: at an
    eligible stage and passing the engine's hard filters today."""
    from gza.matching import engine

    found = []
    applications = (
        Application.objects.filter(vacancy=vacancy, stage__in=ELIGIBLE_FOR_SELECTION)
        .select_related("job_seeker__municipality")
        .order_by("pk")
    )
    for application in applications:
        scored, failures = engine.explain(application.job_seeker, vacancy, today=today)
        if not failures:
            found.append((application, scored.total))
    return found


def round_draw(*, actor: Any, vacancy: Vacancy, places: int) -> SelectionRound:
    """Draw (lottery) or rank a vacancy's eligible applicants into a draft round, with its
    outcome audit. A draft drawn earlier is replaced; a vacancy with a published round is
    refused."""
    _may_select(actor, vacancy)
    if not isinstance(places, int) or places < 1:
        raise ValidationError({"places": ValidationError(RoundRefusal.PLACES, code="min")})
    today = timezone.localdate()
    with transaction.atomic():
        # Row lock on the vacancy: two officers drawing at once get one draft, not two.
        vacancy = Vacancy.objects.select_for_update(of=("self",)).get(pk=vacancy.pk)
        published = (
            SelectionRound.objects.filter(vacancy=vacancy, status=RoundStatus.PUBLISHED)
            .order_by("published_at")
            .first()
        )
        if published is not None:
            raise DomainError(
                RoundRefusal.FINAL, date=timezone.localdate(published.published_at).isoformat()
            )
        drafts = SelectionRound.objects.filter(vacancy=vacancy, status=RoundStatus.DRAFT)
        previous = sum(1 + d.audit.get("summary", {}).get("previous_draws", 0) for d in drafts)
        drafts.delete()
        eligible = eligible_applications(vacancy, today)
        if not eligible:
            raise DomainError(RoundRefusal.NO_ELIGIBLE)
        seed = secrets.token_hex(32)
        by_id = {str(a.public_id): (a, score) for a, score in eligible}
        if vacancy.selection_method == SelectionMethod.LOTTERY:
            order = lottery_order(seed, by_id)
        else:
            order = ranking_order(seed, [(p, score) for p, (_a, score) in by_id.items()])
        audit = outcome_audit(
            [(by_id[p][0].job_seeker, position < places) for position, (p, _k) in enumerate(order)],
            today,
        )
        audit["summary"]["previous_draws"] = previous
        selection_round = SelectionRound.objects.create(
            vacancy=vacancy,
            method=vacancy.selection_method,
            places=places,
            seed=seed,
            audit=audit,
            created_by=actor,
        )
        SelectionRoundEntry.objects.bulk_create(
            SelectionRoundEntry(
                round=selection_round,
                application=by_id[public_id][0],
                position=position,
                draw_key=key,
                score=(
                    by_id[public_id][1]
                    if vacancy.selection_method == SelectionMethod.RANKING
                    else None
                ),
                outcome=RoundOutcome.SELECTED if position <= places else RoundOutcome.WAITLISTED,
            )
            for position, (public_id, key) in enumerate(order, start=1)
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=selection_round,
            payload={
                "vacancy": vacancy.pk,
                "method": selection_round.method,
                "places": places,
                "seed": seed,
                "eligible": len(order),
                "previous_draws": previous,
            },
        )
    return selection_round


def round_publish(*, actor: Any, selection_round: SelectionRound) -> SelectionRound:
    """Publish a draft round: its first `places` applicants are selected and the rest
    waitlisted, in order, moved by Gza (SYSTEM); the round, its seed and its list become public
    and final. Refused if any application in it moved since the draw."""
    _may_select(actor, selection_round.vacancy)
    with transaction.atomic():
        # Row lock: two officers publishing at once cannot both move the applicants.
        selection_round = SelectionRound.objects.select_for_update(of=("self",)).get(
            pk=selection_round.pk
        )
        if selection_round.status == RoundStatus.PUBLISHED:
            raise DomainError(RoundRefusal.ALREADY_PUBLISHED)
        entries = list(selection_round.entries.order_by("position"))
        # Locked in id order, the order every multi-row lock here takes.
        applications = {
            a.pk: a
            for a in Application.objects.select_for_update(of=("self",))
            .select_related("job_seeker", "vacancy")
            .filter(pk__in=[e.application_id for e in entries])
            .order_by("pk")
        }
        if any(a.stage not in ELIGIBLE_FOR_SELECTION for a in applications.values()):
            raise DomainError(RoundRefusal.STALE)
        for entry in entries:
            move_locked(
                applications[entry.application_id],
                "select" if entry.outcome == RoundOutcome.SELECTED else "waitlist",
                actor=actor,
                as_=ActorKind.SYSTEM,
                note=f"round {selection_round.public_id}, position {entry.position}",
            )
        selection_round.status = RoundStatus.PUBLISHED
        selection_round.published_at = timezone.now()
        selection_round.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=selection_round,
            payload={"changes": {"status": [RoundStatus.DRAFT, RoundStatus.PUBLISHED]}},
        )
        for entry in entries:
            if entry.outcome == RoundOutcome.WAITLISTED:
                notify_person(
                    applications[entry.application_id].job_seeker,
                    "waitlisted",
                    vacancy=selection_round.vacancy.title,
                    position=entry.position - selection_round.places,
                )
    return selection_round
