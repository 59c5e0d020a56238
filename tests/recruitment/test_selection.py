"""Selection rounds: the seeded lottery reproduces from its published seed and list, the
ranking orders by score, a published round is final, and the outcome audit flags groups whose
selection rate is below 0.8 of the best group's."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.demand.enums import SelectionMethod
from gza.matching import engine
from gza.recruitment.enums import ActorKind, RoundOutcome, RoundStatus, Stage
from gza.recruitment.models import SelectionRound
from gza.recruitment.selection import (
    RoundRefusal,
    age_band,
    draw_key,
    flagged_groups,
    lottery_order,
    outcome_audit,
    ranking_order,
    round_draw,
    round_publish,
    verify_round,
)
from gza.recruitment.services import application_move
from gza.registry.enums import Sex
from gza.registry.models import Consent, JobSeeker
from tests.core.factories import UserFactory
from tests.recruitment.factories import ApplicationFactory, vacancy_with_employer_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def officer():
    return UserFactory(role=Role.MINISTRY_OFFICER)


@pytest.fixture
def lottery():
    return vacancy_with_employer_account(selection_method=SelectionMethod.LOTTERY)


def applications(vacancy, count):
    return [ApplicationFactory(vacancy=vacancy) for _ in range(count)]


# The order ----------------------------------------------------------------------------------------


def test_the_key_is_sha256_of_seed_and_public_id():
    import hashlib

    assert draw_key("ab", "x") == hashlib.sha256(b"ab:x").hexdigest()


def test_the_same_seed_gives_the_same_order_whatever_the_input_order():
    ids = [f"00000000-0000-0000-0000-{n:012d}" for n in range(30)]
    assert lottery_order("seed", ids) == lottery_order("seed", list(reversed(ids)))
    assert lottery_order("seed", ids) != lottery_order("other seed", ids)


def test_a_ranking_orders_by_score_and_breaks_ties_by_the_key():
    rows = [("a", Decimal("70")), ("b", Decimal("90")), ("c", Decimal("70"))]
    order = [p for p, _k in ranking_order("s", rows)]
    assert order[0] == "b"
    assert order[1:] == sorted(["a", "c"], key=lambda p: draw_key("s", p))


# Drawing and publishing ---------------------------------------------------------------------------


def test_a_lottery_draws_a_draft_that_reproduces_from_its_seed(lottery, officer):
    people = applications(lottery, 8)
    selection_round = round_draw(actor=officer, vacancy=lottery, places=3)
    assert selection_round.status == RoundStatus.DRAFT
    assert len(selection_round.seed) == 64
    entries = list(selection_round.entries.order_by("position"))
    assert len(entries) == 8
    expected = lottery_order(selection_round.seed, [a.public_id for a in people])
    assert [(str(e.application.public_id), e.draw_key) for e in entries] == expected
    assert [e.outcome for e in entries] == ["selected"] * 3 + ["waitlisted"] * 5
    assert verify_round(selection_round).matches
    # A draft moves nobody.
    assert {a.stage for a in people} == {Stage.APPLIED}


def test_publishing_selects_and_waitlists_in_order_as_gza(lottery, officer):
    people = applications(lottery, 5)
    selection_round = round_draw(actor=officer, vacancy=lottery, places=2)
    round_publish(actor=officer, selection_round=selection_round)
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.PUBLISHED
    for entry in selection_round.entries.select_related("application"):
        expected = Stage.SELECTED if entry.outcome == RoundOutcome.SELECTED else Stage.WAITLISTED
        assert entry.application.stage == expected
        assert entry.application.events.last().actor_kind == ActorKind.SYSTEM
    assert {p.pk for p in people} == set(
        selection_round.entries.values_list("application", flat=True)
    )


def test_a_published_round_is_never_drawn_again(lottery, officer):
    applications(lottery, 4)
    selection_round = round_draw(actor=officer, vacancy=lottery, places=2)
    round_publish(actor=officer, selection_round=selection_round)
    applications(lottery, 2)  # late applicants do not reopen the lottery
    with pytest.raises(DomainError) as refused:
        round_draw(actor=officer, vacancy=lottery, places=2)
    assert refused.value.message == RoundRefusal.FINAL
    with pytest.raises(DomainError) as again:
        round_publish(actor=officer, selection_round=selection_round)
    assert again.value.message == RoundRefusal.ALREADY_PUBLISHED
    assert SelectionRound.objects.filter(vacancy=lottery).count() == 1


def test_drawing_again_replaces_the_draft_and_counts_it(lottery, officer):
    applications(lottery, 4)
    first = round_draw(actor=officer, vacancy=lottery, places=2)
    second = round_draw(actor=officer, vacancy=lottery, places=2)
    assert not SelectionRound.objects.filter(pk=first.pk).exists()
    assert second.audit["summary"]["previous_draws"] == 1
    third = round_draw(actor=officer, vacancy=lottery, places=2)
    assert third.audit["summary"]["previous_draws"] == 2


def test_only_eligible_applications_are_drawn(lottery, officer):
    eligible = applications(lottery, 3)
    ApplicationFactory(vacancy=lottery, stage=Stage.WITHDRAWN)
    barred = ApplicationFactory(vacancy=lottery)
    Consent.objects.filter(job_seeker=barred.job_seeker).update(withdrawn_at=timezone.now())
    selection_round = round_draw(actor=officer, vacancy=lottery, places=1)
    drawn = set(selection_round.entries.values_list("application_id", flat=True))
    assert drawn == {a.pk for a in eligible}


def test_a_round_with_nobody_eligible_is_refused(lottery, officer):
    with pytest.raises(DomainError) as refused:
        round_draw(actor=officer, vacancy=lottery, places=1)
    assert refused.value.message == RoundRefusal.NO_ELIGIBLE


def test_publishing_after_someone_withdrew_asks_for_a_new_draw(lottery, officer):
    people = applications(lottery, 3)
    selection_round = round_draw(actor=officer, vacancy=lottery, places=1)
    application_move(
        actor=people[0].job_seeker.user,
        application=people[0],
        transition="withdraw",
        as_=ActorKind.PERSON,
    )
    with pytest.raises(DomainError) as refused:
        round_publish(actor=officer, selection_round=selection_round)
    assert refused.value.message == RoundRefusal.STALE
    assert {a.stage for a in people[1:]} == {Stage.APPLIED}


def test_a_ranking_orders_by_match_score(officer):
    vacancy = vacancy_with_employer_account(selection_method=SelectionMethod.RANKING)
    applications(vacancy, 4)
    selection_round = round_draw(actor=officer, vacancy=vacancy, places=2)
    scores = list(selection_round.entries.order_by("position").values_list("score", flat=True))
    assert all(score is not None for score in scores)
    assert scores == sorted(scores, reverse=True)
    assert verify_round(selection_round).matches


def test_only_the_ministry_draws(lottery):
    applications(lottery, 2)
    for user in (UserFactory(role=Role.CASEWORKER), UserFactory(role=Role.EMPLOYER)):
        with pytest.raises(DomainError):
            round_draw(actor=user, vacancy=lottery, places=1)


# Verification -------------------------------------------------------------------------------------


def test_verify_lottery_says_whether_the_order_matches(lottery, officer, capsys):
    applications(lottery, 6)
    selection_round = round_draw(actor=officer, vacancy=lottery, places=2)
    round_publish(actor=officer, selection_round=selection_round)
    call_command("verify_lottery", str(selection_round.public_id))
    assert "matches" in capsys.readouterr().out
    # Tampering with the published order is found.
    first, second = selection_round.entries.order_by("position")[:2]
    first.draw_key, second.draw_key = second.draw_key, first.draw_key
    first.save()
    second.save()
    with pytest.raises(CommandError):
        call_command("verify_lottery", str(selection_round.public_id))


def test_verify_lottery_knows_only_published_rounds(lottery, officer):
    applications(lottery, 2)
    draft = round_draw(actor=officer, vacancy=lottery, places=1)
    with pytest.raises(CommandError):
        call_command("verify_lottery", str(draft.public_id))


# The outcome audit --------------------------------------------------------------------------------


def test_age_bands():
    assert [age_band(a) for a in (17, 18, 24, 25, 44, 54, 55, 70)] == [
        "<18",
        "18-24",
        "18-24",
        "25-34",
        "35-44",
        "45-54",
        "55+",
        "55+",
    ]


class Person:
    """What the audit reads of a person (no database needed)."""

    def __init__(self, sex, birth_year, region="kakheti"):
        self.sex = sex
        self.birth_date = datetime.date(birth_year, 1, 1)
        self.municipality = type("M", (), {"region_id": region})()

    def age_on(self, day):
        return day.year - self.birth_date.year


def test_a_group_below_four_fifths_of_the_best_is_flagged():
    on = datetime.date(2027, 6, 1)
    # Women 10 eligible, 5 selected (0.5); men 10 eligible, 3 selected (0.3 < 0.8 x 0.5).
    rows = [(Person(Sex.FEMALE, 1995), i < 5) for i in range(10)]
    rows += [(Person(Sex.MALE, 1995), i < 3) for i in range(10)]
    audit = outcome_audit(rows, on)
    assert audit["sex"]["f"] == {
        "eligible": 10,
        "selected": 5,
        "rate": 0.5,
        "judged": True,
        "flagged": False,
    }
    assert audit["sex"]["m"]["flagged"] is True
    assert ("sex", "m") in flagged_groups(audit)
    assert audit["age_band"]["25-34"]["eligible"] == 20


def test_exactly_four_fifths_is_not_flagged():
    on = datetime.date(2027, 6, 1)
    rows = [(Person(Sex.FEMALE, 1995), i < 5) for i in range(10)]
    rows += [(Person(Sex.MALE, 1995), i < 4) for i in range(10)]
    assert outcome_audit(rows, on)["sex"]["m"]["flagged"] is False


def test_small_groups_are_reported_but_not_flagged_nor_the_best():
    on = datetime.date(2027, 6, 1)
    rows = [(Person(Sex.FEMALE, 1995, "adjara"), i < 5) for i in range(10)]
    # Four people from Guria, all selected: rate 1.0, but too few to judge or to set the bar.
    rows += [(Person(Sex.FEMALE, 1995, "guria"), True) for _ in range(4)]
    # Four from Racha, none selected: reported, not flagged.
    rows += [(Person(Sex.FEMALE, 1995, "racha"), False) for _ in range(4)]
    audit = outcome_audit(rows, on)
    assert audit["region"]["guria"]["judged"] is False
    assert audit["region"]["racha"] == {
        "eligible": 4,
        "selected": 0,
        "rate": 0.0,
        "judged": False,
        "flagged": False,
    }
    assert audit["region"]["adjara"]["flagged"] is False


def test_the_round_stores_its_audit_and_protected_attributes_do_not_move_the_order(
    lottery, officer
):
    people = applications(lottery, 6)
    selection_round = round_draw(actor=officer, vacancy=lottery, places=3)
    order = list(selection_round.entries.order_by("position").values_list("draw_key", flat=True))
    assert selection_round.audit["summary"]["eligible"] == 6
    assert selection_round.audit["sex"]["f"]["eligible"] == 6
    # The same seed over the same people with another sex and age gives the same order.
    JobSeeker.objects.filter(pk__in=[a.job_seeker_id for a in people]).update(
        sex=Sex.MALE, birth_date=datetime.date(1970, 1, 1)
    )
    assert [k for _p, k in lottery_order(selection_round.seed, [a.public_id for a in people])] == (
        order
    )
