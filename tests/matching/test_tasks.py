"""Re-matching in the background: a change asks for one task per transaction, after commit;
the task re-runs the shortlists still waiting (or never run) as automatic runs."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from gza.demand.enums import VacancyStatus
from gza.matching import engine, tasks
from gza.matching.enums import EntryDecision, RunStatus, RunTrigger
from gza.matching.models import MatchRun
from gza.matching.runs import review_run, run_shortlist
from gza.matching.tasks import PendingRematch, rematch_task
from gza.registry.imports import after_import
from tests.core.factories import UserFactory
from tests.matching.run_factories import candidate, published_vacancy
from tests.partners.factories import AgreementFactory
from tests.registry.factories import EligibilityRuleFactory, JobSeekerFactory

pytestmark = pytest.mark.django_db


def pending(callbacks) -> list[PendingRematch]:
    return [callback for callback in callbacks if isinstance(callback, PendingRematch)]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Capture (and with execute=True run) what a block leaves for after the commit, as if it
    were a transaction of its own: what the test's earlier set-up left pending is dropped, or
    the block's changes would join that pending re-match (as they should in one transaction)."""

    def block(*, execute: bool = False):
        transaction.get_connection().run_on_commit.clear()
        return django_capture_on_commit_callbacks(execute=execute)

    return block


@pytest.fixture
def invalidations(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = engine.invalidate

    def counted() -> None:
        calls.append(1)
        real()

    monkeypatch.setattr(engine, "invalidate", counted)
    return calls


def test_many_changes_in_one_transaction_ask_for_one_rematch_after_commit(
    django_capture_on_commit_callbacks, invalidations
):
    with django_capture_on_commit_callbacks() as callbacks:
        vacancy = published_vacancy()
        candidate()
        candidate(polish="B1")
        vacancy.save()
    assert len(pending(callbacks)) == 1
    assert pending(callbacks)[0].vacancy_ids is None  # a person changed: every shortlist
    assert invalidations == []  # nothing before the commit


def test_a_published_vacancy_asks_for_its_own_shortlist_and_a_draft_for_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        draft = published_vacancy(status=VacancyStatus.DRAFT)
        draft.save()
    assert pending(callbacks) == []
    with django_capture_on_commit_callbacks() as callbacks:
        one = published_vacancy()
        two = published_vacancy()
        EligibilityRuleFactory(vacancy=draft)
    assert [p.vacancy_ids for p in pending(callbacks)] == [{one.pk, two.pk, draft.pk}]


def test_a_scheme_rule_asks_for_the_schemes_published_vacancies(commit):
    vacancy = published_vacancy(agreement=AgreementFactory())
    with commit() as callbacks:
        EligibilityRuleFactory(vacancy=None, agreement=vacancy.agreement)
    assert [p.vacancy_ids for p in pending(callbacks)] == [{vacancy.pk}]


def test_a_change_rolled_back_asks_for_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                JobSeekerFactory()
                raise RuntimeError
        except RuntimeError:
            pass
        vacancy = published_vacancy()
    assert [p.vacancy_ids for p in pending(callbacks)] == [{vacancy.pk}]


def test_an_import_batch_asks_for_a_rematch(commit):
    person = JobSeekerFactory()
    with commit() as callbacks:
        after_import([person])
    assert [p.vacancy_ids for p in pending(callbacks)] == [None]


def test_after_commit_the_task_reruns_waiting_and_missing_shortlists(commit, invalidations):
    officer = UserFactory()
    reviewed = published_vacancy()
    waiting = published_vacancy()
    best = candidate(years=4)
    candidate(occupation="7212")
    done = run_shortlist(reviewed, actor=officer)
    review_run(
        done,
        actor=officer,
        decisions={e.pk: (EntryDecision.KEPT, "") for e in done.entries.all()},
    )
    old = run_shortlist(waiting, actor=officer)
    never = published_vacancy()

    with commit(execute=True):
        # Available before the start now: the score changes, so the lists are re-run.
        best.availability_date = timezone.localdate() + datetime.timedelta(days=1)
        best.save()

    automatic = MatchRun.objects.filter(trigger=RunTrigger.AUTOMATIC, status=RunStatus.TO_REVIEW)
    assert set(automatic.values_list("vacancy_id", flat=True)) == {waiting.pk, never.pk}
    assert automatic.get(vacancy=waiting).requested_by is None
    assert automatic.get(vacancy=waiting).entries.count() == 2
    old.refresh_from_db()
    assert old.status == RunStatus.SUPERSEDED
    assert MatchRun.objects.filter(vacancy=reviewed).count() == 1
    assert invalidations  # the index was marked stale once the change was committed


def test_the_task_named_vacancies_only_and_reports_what_it_did():
    vacancy = published_vacancy()
    other = published_vacancy()
    candidate()
    result = rematch_task.enqueue(vacancy_ids=[vacancy.pk], requested_at=None)
    assert result.return_value == {"stored": 1, "skipped": 0, "unchanged": 0}
    assert list(MatchRun.objects.values_list("vacancy_id", flat=True)) == [vacancy.pk]
    assert not MatchRun.objects.filter(vacancy=other).exists()


def test_a_rematch_that_finds_the_same_list_keeps_the_run_waiting_for_review():
    vacancy = published_vacancy()
    candidate()
    first = rematch_task.enqueue(vacancy_ids=[vacancy.pk], requested_at=None)
    assert first.return_value["stored"] == 1
    again = rematch_task.enqueue(vacancy_ids=[vacancy.pk], requested_at=None)
    assert again.return_value == {"stored": 0, "skipped": 0, "unchanged": 1}
    assert MatchRun.objects.get().status == RunStatus.TO_REVIEW


def test_a_pending_rematch_with_no_vacancy_enqueues_nothing(monkeypatch, invalidations):
    asked: list = []

    class Queue:
        def enqueue(self, **kwargs) -> None:
            asked.append(kwargs)

    monkeypatch.setattr(tasks, "rematch_task", Queue())
    empty = PendingRematch()
    empty()
    assert asked == []
    some = PendingRematch()
    some.add([3, 2])
    some.add([2])
    some()
    assert [call["vacancy_ids"] for call in asked] == [[2, 3]]
    everything = PendingRematch()
    everything.add([1])
    everything.add(None)
    everything.add([4])
    everything()
    assert asked[-1]["vacancy_ids"] is None
