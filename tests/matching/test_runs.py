"""Match runs: stored with their parameters and explained entries, superseded while waiting,
reviewed once (all or nothing) before anyone is contacted; weights refused when they make no
sense."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.matching import engine
from gza.matching.enums import Component, Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import MatchRun, MatchRunEntry, MatchWeights
from gza.matching.runs import (
    RunRefusal,
    entry_components,
    entry_flags,
    kept_entries,
    recommendations_for,
    rematch_waiting,
    require_reviewed,
    review_run,
    run_recommendations,
    run_shortlist,
    set_weights,
)
from tests.core.factories import UserFactory
from tests.matching.run_factories import (
    MatchRunEntryFactory,
    MatchRunFactory,
    candidate,
    published_vacancy,
)
from tests.partners.factories import AgreementFactory
from tests.registry.factories import JobSeekerFactory

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "occupation": 40,
    "skills": 10,
    "languages": 20,
    "experience": 10,
    "education": 5,
    "availability": 10,
    "country": 5,
}


@pytest.fixture(autouse=True)
def _fresh_index():
    # The engine keeps an in-memory index between calls; each test builds its own records.
    engine.invalidate()
    yield
    engine.invalidate()


@pytest.fixture
def officer():
    return UserFactory()


@pytest.fixture
def vacancy():
    return published_vacancy()


@pytest.fixture
def people():
    """Three consenting people for the fruit pickers, best first, and one without consent."""
    best = candidate(years=5, polish="B2")
    middle = candidate(years=1)
    far = candidate(occupation="7212")
    JobSeekerFactory()  # no consent: never ranked
    return [best, middle, far]


def decide_all(run: MatchRun, decision=EntryDecision.KEPT, reason="") -> dict:
    return {entry.pk: (decision, reason) for entry in run.entries.all()}


def test_a_shortlist_is_stored_with_its_parameters_and_explained_entries(officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer, limit=10)
    assert (run.direction, run.vacancy, run.status) == (
        Direction.SHORTLIST,
        vacancy,
        RunStatus.TO_REVIEW,
    )
    assert (run.trigger, run.requested_by) == (RunTrigger.MANUAL, officer)
    assert run.parameters["weights"] == engine.weights_for(vacancy)
    assert run.parameters["limit"] == 10
    assert run.parameters["computed_for"] == timezone.localdate().isoformat()
    assert "engine_version" in run.parameters and "as_of" in run.parameters
    assert run.passed_filters == 3 and run.considered >= 3

    entries = list(run.entries.order_by("rank"))
    assert [e.rank for e in entries] == [1, 2, 3]
    assert {e.job_seeker for e in entries} == set(people)
    assert entries[0].job_seeker == people[0]
    expected = engine.shortlist(vacancy, limit=10).entries
    assert [e.score for e in entries] == [scored.total for scored in expected]
    assert all(e.decision == EntryDecision.PENDING for e in entries)
    stored = entries[0].components
    for name in Component.values:
        assert set(stored[name]) == {"value", "weight", "detail"}
        assert set(stored[name]["detail"]) == {"ka", "en"}
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED, target_id=str(run.pk))
    assert event.actor == officer and event.payload["entries"] == 3


def test_stored_explanations_read_in_the_language_of_the_page(officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    entry = run.entries.get(rank=1)
    with translation.override("en"):
        english = entry_components(entry)
        scored, _failures = engine.explain(people[0], vacancy)
        assert [c.detail for c in english] == [str(c.detail) for c in scored.components]
        assert english[0].label == "occupation"
        assert entry_flags(entry) == [str(flag) for flag in scored.flags]
    with translation.override("ka"):
        georgian = entry_components(entry)
        assert [c.detail for c in georgian] == [str(c.detail) for c in scored.components]
    assert [c.value for c in english] == [c.value for c in scored.components]


def test_a_new_run_supersedes_the_one_waiting_but_not_a_reviewed_one(officer, vacancy, people):
    reviewed = run_shortlist(vacancy, actor=officer)
    review_run(reviewed, actor=officer, decisions=decide_all(reviewed))
    waiting = run_shortlist(vacancy, actor=officer)
    newest = run_shortlist(vacancy, actor=officer)
    statuses = dict(MatchRun.objects.values_list("pk", "status"))
    assert statuses == {
        reviewed.pk: RunStatus.REVIEWED,
        waiting.pk: RunStatus.SUPERSEDED,
        newest.pk: RunStatus.TO_REVIEW,
    }
    # Another vacancy's waiting run is left alone.
    other = MatchRunFactory()
    run_shortlist(vacancy, actor=officer)
    other.refresh_from_db()
    assert other.status == RunStatus.TO_REVIEW


def test_a_shortlist_must_be_reviewed_before_anyone_is_contacted(officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    with pytest.raises(DomainError) as refused:
        require_reviewed(run)
    assert refused.value.message == RunRefusal.NOT_REVIEWED
    with pytest.raises(DomainError):
        kept_entries(run)

    entries = list(run.entries.order_by("rank"))
    decisions = decide_all(run)
    decisions[entries[-1].pk] = (EntryDecision.EXCLUDED, "Not reachable by phone")
    reviewed = review_run(run, actor=officer, decisions=decisions, note="Checked by phone")

    assert require_reviewed(reviewed) == reviewed
    assert (reviewed.status, reviewed.reviewed_by, reviewed.review_note) == (
        RunStatus.REVIEWED,
        officer,
        "Checked by phone",
    )
    assert reviewed.reviewed_at is not None
    assert list(kept_entries(reviewed)) == entries[:-1]
    excluded = MatchRunEntry.objects.get(pk=entries[-1].pk)
    assert (excluded.decision, excluded.decision_reason) == (
        EntryDecision.EXCLUDED,
        "Not reachable by phone",
    )
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATED, target_id=str(run.pk))
    assert event.payload["excluded"] == [entries[-1].pk] and event.payload["kept"] == 2


def test_recommendations_are_never_a_reviewed_shortlist(officer, people, vacancy):
    run = run_recommendations(people[0], actor=officer)
    with pytest.raises(DomainError):
        require_reviewed(run)


def test_excluding_needs_a_reason_and_every_line_a_decision_and_nothing_is_stored(
    officer, vacancy, people
):
    run = run_shortlist(vacancy, actor=officer)
    first, second, third = run.entries.order_by("rank")
    with pytest.raises(ValidationError) as refused:
        review_run(
            run,
            actor=officer,
            decisions={
                first.pk: (EntryDecision.KEPT, ""),
                second.pk: (EntryDecision.EXCLUDED, "   "),
            },
        )
    errors = refused.value.error_dict
    assert set(errors) == {f"reason_{second.pk}", f"decision_{third.pk}"}
    assert errors[f"reason_{second.pk}"][0].message == RunRefusal.REASON_REQUIRED
    run.refresh_from_db()
    assert run.status == RunStatus.TO_REVIEW and run.reviewed_by is None
    assert set(run.entries.values_list("decision", flat=True)) == {EntryDecision.PENDING}


def test_a_decision_on_a_line_of_another_run_is_refused(officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    stranger = MatchRunEntryFactory()
    decisions = decide_all(run) | {stranger.pk: (EntryDecision.KEPT, "")}
    with pytest.raises(DomainError) as refused:
        review_run(run, actor=officer, decisions=decisions)
    assert refused.value.message == RunRefusal.UNKNOWN_ENTRY


def test_a_reviewed_run_cannot_be_reviewed_again(officer, vacancy, people):
    run = run_shortlist(vacancy, actor=officer)
    review_run(run, actor=officer, decisions=decide_all(run))
    other = UserFactory()
    with pytest.raises(DomainError) as refused:
        review_run(run, actor=other, decisions=decide_all(run, EntryDecision.EXCLUDED, "no"))
    assert refused.value.message == RunRefusal.ALREADY_REVIEWED
    run.refresh_from_db()
    assert run.reviewed_by == officer
    assert set(run.entries.values_list("decision", flat=True)) == {EntryDecision.KEPT}


def test_two_reviewers_at_once_the_second_sees_a_clear_refusal(officer, vacancy, people):
    """The service re-reads the run under a row lock (select_for_update); on SQLite the second
    reviewer's stale copy stands in for the one that waited on the lock."""
    run = run_shortlist(vacancy, actor=officer)
    first_copy = MatchRun.objects.get(pk=run.pk)
    second_copy = MatchRun.objects.get(pk=run.pk)
    review_run(first_copy, actor=officer, decisions=decide_all(run))
    with pytest.raises(DomainError) as refused:
        review_run(second_copy, actor=UserFactory(), decisions=decide_all(run))
    assert str(refused.value) == str(RunRefusal.ALREADY_REVIEWED)


def test_a_superseded_run_is_not_reviewed(officer, vacancy, people):
    old = run_shortlist(vacancy, actor=officer)
    run_shortlist(vacancy, actor=officer)
    with pytest.raises(DomainError) as refused:
        review_run(old, actor=officer, decisions=decide_all(old))
    assert refused.value.message == RunRefusal.SUPERSEDED


def test_only_those_with_the_right_run_matching(vacancy, people):
    analyst = UserFactory(role=Role.ANALYST)
    with pytest.raises(DomainError):
        run_shortlist(vacancy, actor=analyst)
    run = run_shortlist(vacancy, actor=UserFactory(role=Role.CASEWORKER))
    embassy = UserFactory(embassy_officer=True)
    with pytest.raises(DomainError):
        review_run(run, actor=embassy, decisions=decide_all(run))
    assert not MatchRun.objects.exclude(pk=run.pk).exists()


def test_a_reviewer_must_see_everyone_on_the_shortlist(vacancy, people):
    iom = UserFactory(iom_caseworker=True)
    run = run_shortlist(vacancy, actor=iom)  # ranks the whole registry
    with pytest.raises(DomainError) as refused:
        review_run(run, actor=iom, decisions=decide_all(run))
    assert refused.value.message == RunRefusal.NOT_ALL_VISIBLE


def test_an_automatic_run_has_no_actor(vacancy, people):
    run = run_shortlist(vacancy, actor=None, trigger=RunTrigger.AUTOMATIC)
    assert run.requested_by is None and run.trigger == RunTrigger.AUTOMATIC
    assert run.entries.count() == 3


def test_a_bad_limit_is_refused(officer, vacancy):
    with pytest.raises(ValidationError):
        run_shortlist(vacancy, actor=officer, limit=0)
    assert not MatchRun.objects.exists()


def test_recommendations_are_stored_per_person_and_supersede_the_older(officer, people):
    near = published_vacancy()
    far = published_vacancy(occupation_id="7212", title_en="Welder", title_ka="შემდუღებელი")
    first = run_recommendations(people[0], actor=officer)
    second = run_recommendations(people[0], actor=officer)
    first.refresh_from_db()
    assert first.status == RunStatus.SUPERSEDED
    assert second.direction == Direction.RECOMMENDATIONS and second.job_seeker == people[0]
    ranked = list(second.entries.order_by("rank").values_list("vacancy_id", flat=True))
    assert ranked[0] == near.pk and far.pk in ranked
    assert set(second.entries.values_list("job_seeker_id", flat=True)) == {people[0].pk}


def test_recommendations_on_the_fly_carry_their_main_reasons(people):
    vacancy = published_vacancy()
    items = recommendations_for(people[0])
    assert items[0]["vacancy"] == vacancy
    assert 1 <= len(items[0]["reasons"]) <= 3
    assert not MatchRun.objects.exists()  # nothing stored for a page view


# Weights ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [{"occupation": -5}, {name: 0 for name in WEIGHTS}, {"skills": 101}],
    ids=["negative", "all zero", "above 100"],
)
def test_weights_that_make_no_sense_are_refused_and_nothing_is_stored(officer, change):
    with pytest.raises((DomainError, ValidationError)):
        set_weights(None, WEIGHTS | change, actor=officer)
    assert not MatchWeights.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=[AuditVerb.CREATED, AuditVerb.UPDATED]).exists()


def test_weights_are_set_per_scheme_with_before_and_after_in_the_audit(officer):
    agreement = AgreementFactory()
    national = set_weights(None, WEIGHTS, actor=officer)
    scheme = set_weights(agreement, WEIGHTS | {"languages": 40}, actor=officer)
    assert national.agreement is None and scheme.agreement == agreement
    assert scheme.as_dict()["languages"] == 40 and scheme.updated_by == officer
    changed = set_weights(agreement, WEIGHTS | {"languages": 30}, actor=officer)
    assert changed.pk == scheme.pk and MatchWeights.objects.count() == 2
    event = AuditEvent.objects.filter(target_id=str(scheme.pk)).latest("pk")
    assert event.verb == AuditVerb.UPDATED
    assert event.payload["before"]["languages"] == 40 and event.payload["after"]["languages"] == 30
    vacancy = published_vacancy(agreement=agreement)
    assert engine.weights_for(vacancy)["languages"] == 30


def test_only_the_ministry_sets_weights():
    with pytest.raises(DomainError):
        set_weights(None, WEIGHTS, actor=UserFactory(role=Role.CASEWORKER))
    assert not MatchWeights.objects.exists()


# Re-matching -----------------------------------------------------------------------------------


def test_rematching_reruns_waiting_and_missing_shortlists_only(officer, people):
    never_run = published_vacancy()
    waiting = published_vacancy()
    reviewed = published_vacancy()
    draft = published_vacancy(status="draft")
    old_waiting = run_shortlist(waiting, actor=officer)
    done = run_shortlist(reviewed, actor=officer)
    review_run(done, actor=officer, decisions=decide_all(done))
    newcomer = candidate(polish="C2")  # changes every list

    outcome = rematch_waiting()

    automatic = MatchRun.objects.filter(trigger=RunTrigger.AUTOMATIC)
    assert set(automatic.values_list("vacancy_id", flat=True)) == {never_run.pk, waiting.pk}
    assert outcome == {"stored": 2, "skipped": 0, "unchanged": 0}
    assert automatic.get(vacancy=waiting).entries.filter(job_seeker=newcomer).exists()
    old_waiting.refresh_from_db()
    assert old_waiting.status == RunStatus.SUPERSEDED
    assert not MatchRun.objects.filter(vacancy=draft).exists()
    assert MatchRun.objects.filter(vacancy=reviewed).count() == 1


def test_rematching_skips_a_vacancy_whose_run_is_newer_than_the_request(officer, people):
    vacancy = published_vacancy()
    requested_at = timezone.now()
    run = run_shortlist(vacancy, actor=officer)
    outcome = rematch_waiting(vacancy_ids=[vacancy.pk], requested_at=requested_at)
    assert outcome == {"stored": 0, "skipped": 1, "unchanged": 0}
    run.refresh_from_db()
    assert run.status == RunStatus.TO_REVIEW
