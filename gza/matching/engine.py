"""The matching engine: explained scores of job seekers for vacancies, in both directions.

A score has seven named components (gza.matching.enums.Component), each a whole number from
0 to 100; the total is sum(weight x value) / sum(weight), computed in integers and shown as a
Decimal with two places. Hard filters come first and are not scores: an active record, a
standing consent to registration and matching, not placed abroad now, and the vacancy's
eligibility rules as gza.registry.eligibility.check() judges them (a rule not met excludes; a
rule the profile cannot answer keeps the person, with a flag).

Two paths compute the same numbers: the plain-Python reference for one pair
(gza/matching/components.py; explain() and recommend()) and the vectorised one over an
in-memory index of every matchable person (gza/matching/index.py; shortlist(), preview() and
rematch_all()). The index is built per process in a few bulk queries and rebuilt after
invalidate() (a version key in Django's cache, shared by every process) or after
MATCHING_INDEX_TTL seconds (default 300; 0 in the test profile, so tests always see their own
data). See docs/decisions/0019-matching-engine.md.
"""

import datetime
import gc
import multiprocessing
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.demand.models import Vacancy
from gza.matching.components import (
    FAILED,
    UNKNOWN,
    ComponentScore,
    EntryBuilder,
    Evidence,
    PersonFacts,
    Scored,
    Tables,
    VacancyFacts,
    evidence_of,
    rule_outcomes,
    score,
    total_of,
    total_points,
    values_of,
)
from gza.matching.enums import Component
from gza.matching.index import Evaluation, PeopleIndex
from gza.matching.loading import load_tables, matchable_people, people_facts, vacancy_facts
from gza.matching.models import MatchWeights
from gza.matching.weights import validate_weights, weights_for
from gza.registry.eligibility import Outcome, check
from gza.registry.enums import ConsentPurpose, RecordStatus
from gza.registry.models import JobSeeker
from gza.taxonomy.models import ReferenceDataset

__all__ = [
    "ComponentScore",
    "PreviewRow",
    "Result",
    "Scored",
    "current_index",
    "current_tables",
    "explain",
    "invalidate",
    "pinned_index",
    "preview",
    "recommend",
    "rematch",
    "rematch_all",
    "shortlist",
    "validate_weights",
    "weights_for",
]

VERSION_KEY = "gza:matching:index-version"
DEFAULT_TTL = 300

NOT_ACTIVE = _("The record is not in use (merged into another or erased).")
NO_CONSENT = _("The person has not consented to registration and matching.")
PLACED = _("The person is placed abroad now.")


@dataclass
class Result:
    entries: list[Scored]
    considered: int
    passed_filters: int
    weights: dict[str, int]
    computed_for: datetime.date


@dataclass(frozen=True)
class PreviewRow:
    job_seeker_id: int
    rank_before: int | None
    rank_after: int | None
    total_before: Decimal
    total_after: Decimal


# --- the per-process index -----------------------------------------------------------------------


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: PeopleIndex | None = None
        self.version: str | None = None
        self.built_at = 0.0
        self.tables: Tables | None = None
        self.tables_key: tuple | None = None
        self.pinned: PeopleIndex | None = None


_state = _State()


def _ttl() -> float:
    configured = getattr(settings, "MATCHING_INDEX_TTL", None)
    if configured is not None:
        return float(configured)
    return 0.0 if settings.ENVIRONMENT == "test" else float(DEFAULT_TTL)


def invalidate() -> None:
    """Mark every process's index stale: the next shortlist rebuilds it. Call after a change
    to a profile, a consent or a vacancy (cheap: one cache write)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def current_tables() -> Tables:
    """The reference tables, reloaded when a reference dataset changes."""
    key = tuple(ReferenceDataset.objects.order_by("name").values_list("name", "checksum"))
    with _state.lock:
        if _state.tables is None or _state.tables_key != key:
            _state.tables = load_tables()
            _state.tables_key = key
        return _state.tables


def current_index() -> PeopleIndex:
    """The index of matchable people, rebuilt when stale (see the module's docstring)."""
    if _state.pinned is not None:
        return _state.pinned
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    tables = current_tables()
    with _state.lock:
        fresh = (
            _state.index is not None
            and _state.version == version
            and _state.index.tables is tables
            and time.monotonic() - _state.built_at < _ttl()
        )
        if not fresh:
            _state.index = PeopleIndex(people_facts(matchable_people()), tables)
            _state.version = version
            _state.built_at = time.monotonic()
        return _state.index


@contextmanager
def pinned_index(index: PeopleIndex) -> Iterator[PeopleIndex]:
    """Use this index (built from generated rows, say) instead of the database's: for the
    benchmark and for tests of the vectorised path."""
    previous = _state.pinned
    _state.pinned = index
    try:
        yield index
    finally:
        _state.pinned = previous


# --- shortlists -------------------------------------------------------------------------------


def _weights(vacancy, weights: dict[str, int] | None) -> dict[str, int]:
    return validate_weights(weights) if weights is not None else weights_for(vacancy)


def _facts(vacancy, tables: Tables) -> VacancyFacts:
    return vacancy_facts(Vacancy.objects.filter(pk=vacancy.pk), tables)[0]


def shortlist(
    vacancy,
    *,
    weights: dict[str, int] | None = None,
    limit: int = 50,
    today: datetime.date | None = None,
) -> Result:
    """The best `limit` job seekers for a vacancy, best first (equal totals by id)."""
    today = today or timezone.localdate()
    weights = _weights(vacancy, weights)
    index = current_index()
    facts = _facts(vacancy, index.tables)
    evaluation = index.evaluate(facts, today)
    return _result(index, evaluation, weights, limit, today, still_matchable=_still_matchable)


def _still_matchable(ids: list[int]) -> set[int]:
    """Which of these people are matchable right now: an index a few minutes old must not show
    someone who withdrew consent or was merged since (one query)."""
    return set(matchable_people().filter(pk__in=ids).values_list("pk", flat=True))


def _result(
    index: PeopleIndex,
    evaluation: Evaluation,
    weights: dict[str, int],
    limit: int,
    today: datetime.date,
    *,
    still_matchable=None,
) -> Result:
    points = index.points(evaluation, weights)
    positions = _best_checked(index, points, limit, still_matchable)
    table = index.table(evaluation, points, positions)
    entries = index.entries(EntryBuilder(evaluation.vacancy, weights, index.tables), table)
    return Result(
        entries=entries,
        considered=index.size,
        passed_filters=index.passed_count(evaluation),
        weights=dict(weights),
        computed_for=today,
    )


def _best_checked(index: PeopleIndex, points: np.ndarray, limit: int, still_matchable):
    """The best positions; for an index read from the database, only people still matchable
    now (the index may be a few minutes old)."""
    if still_matchable is None or index.source != "db":
        return index.best(points, limit)
    wanted = max(limit, 0)
    fetch = wanted + 10
    while True:
        positions = index.best(points, fetch)
        keep = still_matchable(index.ids[positions].tolist())
        chosen = [p for p in positions.tolist() if int(index.ids[p]) in keep]
        if len(chosen) >= wanted or len(positions) < fetch:
            return np.array(chosen[:wanted], dtype=np.int64)
        fetch *= 4


def rematch_all(*, limit: int = 50, today: datetime.date | None = None) -> dict[int, Result]:
    """Every published vacancy's shortlist (the re-match task and the benchmark)."""
    today = today or timezone.localdate()
    index = current_index()
    vacancies = vacancy_facts(Vacancy.objects.published(), index.tables)
    return rematch(index, vacancies, weights_by_agreement(), limit=limit, today=today)


def weights_by_agreement() -> dict[int | None, dict[str, int]]:
    """Every MatchWeights row by agreement (None: the national default), in one query."""
    from gza.matching.models import DEFAULT_WEIGHTS

    rows = {row.agreement_id: row.as_dict() for row in MatchWeights.objects.all()}
    rows.setdefault(None, {name: int(DEFAULT_WEIGHTS[name]) for name in Component.values})
    return rows


def rematch(
    index: PeopleIndex,
    vacancies: list[VacancyFacts],
    weights: dict[int | None, dict[str, int]],
    *,
    limit: int,
    today: datetime.date,
    workers: int | None = None,
) -> dict[int, Result]:
    """Shortlists of many vacancies against one index.

    Vacancies are taken by occupation, so arrays that depend on the occupation only are
    computed once per occupation. With more than one worker, forked processes (which share
    the index's memory) rank chunks of whole occupations and send back only the rows of the
    best people; this process turns them into explained entries meanwhile. The garbage
    collector is paused: half a million new entries would make it rescan them over and over."""
    ordered = sorted(vacancies, key=lambda v: (v.occupation, v.id))
    allowed = None
    if index.source == "db":
        allowed = set(matchable_people().values_list("pk", flat=True))
    fetch = limit if allowed is None else limit + 10
    workers = _workers(workers, len(ordered) * index.size)
    results: dict[int, Result] = {}
    shared: dict = {}  # equal parts of entries, across vacancies (see EntryBuilder)
    collecting = gc.isenabled()
    gc.disable()
    try:
        if workers > 1:
            ranked = _ranked_in_workers(index, ordered, weights, fetch, today, workers)
        else:
            ranked = _ranked(index, ordered, range(len(ordered)), weights, fetch, today, {})
        for position, passed, table in ranked:
            facts = ordered[position]
            chosen = weights.get(facts.agreement_id) or weights[None]
            if allowed is not None:
                keep = np.fromiter((pk in allowed for pk in table[:, 1].tolist()), dtype=bool)
                if not keep.all() and keep.sum() < limit and len(table) == fetch:
                    # Several of the best left the registry since the index was built.
                    evaluation = index.evaluate(facts, today)
                    results[facts.id] = _result(
                        index, evaluation, chosen, limit, today, still_matchable=_still_matchable
                    )
                    continue
                table = table[keep][:limit]
            entries = index.entries(EntryBuilder(facts, chosen, index.tables, shared), table)
            results[facts.id] = Result(
                entries=entries,
                considered=index.size,
                passed_filters=passed,
                weights=dict(chosen),
                computed_for=today,
            )
    finally:
        if collecting:
            gc.enable()
    return dict(sorted(results.items()))


def _workers(requested: int | None, work: int) -> int:
    """Processes for a re-match: MATCHING_WORKERS (default: the CPUs this process may use, up
    to 4; 1 in the test profile), and 1 for small jobs, where fork is unavailable, or where
    other threads run."""
    if requested is None:
        requested = getattr(settings, "MATCHING_WORKERS", None)
    if requested is None:
        requested = 1 if settings.ENVIRONMENT == "test" else min(4, len(os.sched_getaffinity(0)))
    if work < PARALLEL_WORK or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    # Forking a process that runs other threads (a threaded web server, a test session with a
    # live server) can leave the child waiting forever on a lock another thread held: such a
    # process re-matches in itself.
    if threading.active_count() > 1:
        return 1
    return max(1, requested)


# Below about 500 vacancies x 100,000 people, starting processes costs more than it saves.
PARALLEL_WORK = 50_000_000
CHUNK = 150  # vacancies per task given to a worker (whole occupations)


def _ranked(index, ordered, positions, weights, fetch, today, memo):
    """(position, people passing the filters, rows of the best `fetch`) per vacancy."""
    current = None
    for position in positions:
        facts = ordered[position]
        if facts.occupation != current:
            current = facts.occupation
            for key in [k for k in memo if k[0] in _OCCUPATION_KEYS]:
                del memo[key]
        evaluation = index.evaluate(facts, today, memo)
        chosen = weights.get(facts.agreement_id) or weights[None]
        points = index.points(evaluation, chosen)
        best = index.best(points, fetch)
        yield position, index.passed_count(evaluation), index.table(evaluation, points, best)


# Memo entries that depend on the occupation: dropped when the next occupation starts.
_OCCUPATION_KEYS = {
    "occupation",
    "years",
    "essential",
    "optional",
    "typical",
    "skills",
    "skills-base",
    "experience",
}

_work: tuple | None = None  # what forked workers read (set just before the pool starts)
_worker_memo: dict = {}


def _rank_chunk(bounds: tuple[int, int]) -> list:
    index, ordered, weights, fetch, today = _work
    return list(_ranked(index, ordered, range(*bounds), weights, fetch, today, _worker_memo))


def _ranked_in_workers(index, ordered, weights, fetch, today, workers):
    global _work
    chunks = []
    start = 0
    while start < len(ordered):
        stop = min(start + CHUNK, len(ordered))
        # Never split an occupation: its arrays are computed once, in one worker.
        while stop < len(ordered) and ordered[stop].occupation == ordered[stop - 1].occupation:
            stop += 1
        chunks.append((start, stop))
        start = stop
    _work = (index, ordered, weights, fetch, today)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for rows in pool.imap(_rank_chunk, chunks):
                yield from rows
    finally:
        _work = None


# --- previews -------------------------------------------------------------------------------------


def preview(
    vacancy,
    new_weights: dict[str, int],
    *,
    limit: int = 20,
    today: datetime.date | None = None,
) -> list[PreviewRow]:
    """How a vacancy's ranking changes with other weights: the people in the top `limit`
    before or after, with their rank among everyone who passes the hard filters, both ways."""
    today = today or timezone.localdate()
    new = validate_weights(new_weights)
    old = weights_for(vacancy)
    index = current_index()
    evaluation = index.evaluate(_facts(vacancy, index.tables), today)
    before = index.points(evaluation, old)
    after = index.points(evaluation, new)
    top_after = index.best(after, limit).tolist()
    top_before = index.best(before, limit).tolist()
    shown = top_after + [p for p in top_before if p not in set(top_after)]
    rank_before = _ranks(index, before, shown)
    rank_after = _ranks(index, after, shown)
    rows = [
        PreviewRow(
            job_seeker_id=int(index.ids[p]),
            rank_before=rank_before[i],
            rank_after=rank_after[i],
            total_before=total_of(int(before[p]), old),
            total_after=total_of(int(after[p]), new),
        )
        for i, p in enumerate(shown)
    ]
    return sorted(rows, key=lambda row: (row.rank_after, row.rank_before))


def _ranks(index: PeopleIndex, points: np.ndarray, positions: list[int]):
    """1-based ranks (points, then id) among everyone who passed."""
    candidates = np.flatnonzero(points >= 0)
    keys = np.sort(points[candidates].astype(np.int64) * (index.size + 1) - candidates)
    ranks = []
    for p in positions:
        key = int(points[p]) * (index.size + 1) - p
        ranks.append(int(len(keys) - np.searchsorted(keys, key, side="right")) + 1)
    return ranks


# --- one person -----------------------------------------------------------------------------------


def _person_facts(job_seeker) -> PersonFacts | None:
    return next(people_facts(JobSeeker.objects.filter(pk=job_seeker.pk)), None)


def recommend(job_seeker, *, limit: int = 10, today: datetime.date | None = None) -> Result:
    """Open vacancies the person passes the hard filters for, best first (equal totals by
    vacancy id). Each vacancy is scored with its own scheme's weights, shown in its entry;
    `weights` of the result is the national default."""
    today = today or timezone.localdate()
    tables = current_tables()
    weights = weights_by_agreement()
    vacancies = vacancy_facts(Vacancy.objects.open_for_applications(today), tables)
    matchable = matchable_people().filter(pk=job_seeker.pk).exists()
    person = _person_facts(job_seeker) if matchable else None
    ranked: list[tuple[Fraction, int, Evidence, VacancyFacts, dict[str, int]]] = []
    if person is not None:
        for facts in vacancies:
            outcomes = rule_outcomes(person, facts, today)
            if FAILED in outcomes:
                continue
            chosen = weights.get(facts.agreement_id) or weights[None]
            evidence = evidence_of(person, facts, today)
            evidence.unknown_rules = tuple(i for i, o in enumerate(outcomes) if o == UNKNOWN)
            values = values_of(evidence, facts, tables)
            key = Fraction(total_points(values, chosen), sum(chosen.values()))
            ranked.append((key, facts.id, evidence, facts, chosen))
    ranked.sort(key=lambda row: (-row[0], row[1]))
    entries = [
        score(person.id, facts, evidence, chosen, tables)
        for _key, _id, evidence, facts, chosen in ranked[: max(limit, 0)]
    ]
    return Result(
        entries=entries,
        considered=len(vacancies),
        passed_filters=len(ranked),
        weights=dict(weights[None]),
        computed_for=today,
    )


def explain(
    job_seeker,
    vacancy,
    *,
    weights: dict[str, int] | None = None,
    today: datetime.date | None = None,
) -> tuple[Scored, list[str]]:
    """One pair's score by the reference scorer, and why the person would not be on the
    vacancy's shortlist (empty when they pass every hard filter). The sentences of failed
    rules are eligibility.check()'s."""
    today = today or timezone.localdate()
    weights = _weights(vacancy, weights)
    tables = current_tables()
    facts = _facts(vacancy, tables)
    person = _person_facts(job_seeker)
    evidence = evidence_of(person, facts, today)
    outcomes = rule_outcomes(person, facts, today)
    evidence.unknown_rules = tuple(i for i, o in enumerate(outcomes) if o == UNKNOWN)
    scored = score(person.id, facts, evidence, weights, tables)
    failures: list[str] = []
    record = JobSeeker.objects.filter(pk=job_seeker.pk)
    if not record.filter(status=RecordStatus.ACTIVE).exists():
        failures.append(NOT_ACTIVE)
    if not record.filter(
        consents__purpose=ConsentPurpose.REGISTRATION, consents__withdrawn_at__isnull=True
    ).exists():
        failures.append(NO_CONSENT)
    if JobSeeker.objects.currently_placed().filter(pk=job_seeker.pk).exists():
        failures.append(PLACED)
    failures.extend(
        result.message
        for result in check(job_seeker, vacancy, today=today)
        if result.outcome == Outcome.FAILED
    )
    return scored, failures
