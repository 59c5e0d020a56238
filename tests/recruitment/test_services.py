"""Applications: who may start one and how, every move checked against the stage and the
actor, the log and the audit, stale and concurrent moves, and waitlist promotion."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.demand.enums import VacancyStatus
from gza.matching import engine
from gza.matching.enums import EntryDecision, RunStatus
from gza.matching.runs import RunRefusal
from gza.recruitment.enums import (
    ActorKind,
    RejectionReason,
    RoundOutcome,
    RoundStatus,
    Stage,
    StartedVia,
)
from gza.recruitment.models import Application, ApplicationEvent
from gza.recruitment.services import (
    Refusal,
    application_move,
    application_moves_for,
    application_start,
    applications_from_shortlist,
)
from gza.registry.models import Consent
from gza.registry.notifications import Notification
from tests.core.factories import UserFactory
from tests.matching.run_factories import MatchRunEntryFactory, MatchRunFactory, published_vacancy
from tests.recruitment.factories import (
    ApplicationFactory,
    applicant,
    employer_user,
    iom_officer,
    vacancy_with_employer_account,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    engine.invalidate()


@pytest.fixture
def officer():
    return UserFactory(role=Role.MINISTRY_OFFICER)


@pytest.fixture
def vacancy():
    return vacancy_with_employer_account()


def apply(person, vacancy, via=StartedVia.PORTAL):
    return application_start(actor=person.user, job_seeker=person, vacancy=vacancy, via=via)


def move(application, transition, actor, as_, **kwargs):
    return application_move(
        actor=actor, application=application, transition=transition, as_=as_, **kwargs
    )


# Starting on the portal ---------------------------------------------------------------------------


def test_a_person_applies_for_an_open_vacancy_they_are_eligible_for(vacancy):
    person = applicant()
    application = apply(person, vacancy)
    assert application.stage == Stage.APPLIED
    assert application.started_via == StartedVia.PORTAL
    assert application.match_score is not None
    event = application.events.get()
    assert (event.from_stage, event.to_stage, event.actor_kind) == ("", Stage.APPLIED, "person")
    assert AuditEvent.objects.filter(target_id=str(application.pk), verb="created").exists()
    assert Notification.objects.filter(job_seeker=person, kind="application_received").exists()


def test_one_application_per_person_and_vacancy(vacancy):
    person = applicant()
    apply(person, vacancy)
    with pytest.raises(DomainError) as refused:
        apply(person, vacancy)
    assert refused.value.message == Refusal.ALREADY_APPLIED
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"status": VacancyStatus.CLOSED},
        {"application_deadline": timezone.localdate() - datetime.timedelta(days=1)},
    ],
    ids=["closed", "deadline passed"],
)
def test_no_application_after_the_vacancy_stops_taking_them(fields):
    vacancy = published_vacancy(**fields)
    with pytest.raises(DomainError) as refused:
        apply(applicant(), vacancy)
    assert refused.value.message == Refusal.NOT_OPEN


def test_a_person_who_fails_a_hard_filter_is_told_why(vacancy):
    person = applicant()
    Consent.objects.filter(job_seeker=person).update(withdrawn_at=timezone.now())
    with pytest.raises(DomainError) as refused, translation.override("en"):
        apply(person, vacancy)
    assert refused.value.message == Refusal.NOT_ELIGIBLE
    with translation.override("en"):
        assert str(engine.NO_CONSENT) in str(refused.value)
    assert not Application.objects.exists()


def test_nobody_applies_in_someone_elses_name(vacancy):
    person = applicant()
    with pytest.raises(DomainError) as refused:
        application_start(
            actor=applicant().user, job_seeker=person, vacancy=vacancy, via=StartedVia.PORTAL
        )
    assert refused.value.message == DomainError.NOT_PERMITTED


# Starting from a reviewed shortlist ---------------------------------------------------------------


def shortlist_line(vacancy, *, status=RunStatus.REVIEWED, decision=EntryDecision.KEPT):
    run = MatchRunFactory(vacancy=vacancy, status=status)
    return MatchRunEntryFactory(run=run, job_seeker=applicant(), decision=decision)


def start_from(line, officer):
    return application_start(
        actor=officer,
        job_seeker=line.job_seeker,
        vacancy=line.vacancy,
        via=StartedVia.SHORTLIST,
        shortlist_entry=line,
    )


def test_an_officer_starts_an_application_from_a_kept_line_of_a_reviewed_shortlist(
    vacancy, officer
):
    line = shortlist_line(vacancy)
    application = start_from(line, officer)
    assert application.stage == Stage.SHORTLISTED
    assert application.match_score == line.score
    assert application.shortlist_entry == line
    assert application.events.get().actor_kind == ActorKind.OFFICER


def test_a_shortlist_not_reviewed_starts_nothing(vacancy, officer):
    line = shortlist_line(vacancy, status=RunStatus.TO_REVIEW)
    with pytest.raises(DomainError) as refused:
        start_from(line, officer)
    assert refused.value.message == RunRefusal.NOT_REVIEWED


def test_an_excluded_line_starts_nothing(vacancy, officer):
    line = shortlist_line(vacancy, decision=EntryDecision.EXCLUDED)
    with pytest.raises(DomainError) as refused:
        start_from(line, officer)
    assert refused.value.message == Refusal.NOT_KEPT


def test_starting_from_a_shortlist_needs_the_right(vacancy):
    line = shortlist_line(vacancy)
    with pytest.raises(DomainError):
        start_from(line, UserFactory(role=Role.ANALYST))


def test_all_kept_lines_at_once_skip_people_who_applied_already(vacancy, officer):
    run = MatchRunFactory(vacancy=vacancy, status=RunStatus.REVIEWED)
    kept = [
        MatchRunEntryFactory(run=run, job_seeker=applicant(), decision=EntryDecision.KEPT)
        for _ in range(3)
    ]
    MatchRunEntryFactory(run=run, job_seeker=applicant(), decision=EntryDecision.EXCLUDED)
    apply(kept[0].job_seeker, vacancy)
    started = applications_from_shortlist(actor=officer, run=run)
    assert {a.job_seeker_id for a in started} == {kept[1].job_seeker_id, kept[2].job_seeker_id}
    assert Application.objects.filter(vacancy=vacancy).count() == 3


# Moving -------------------------------------------------------------------------------------------


def test_an_illegal_move_is_refused_naming_the_current_stage(officer):
    application = ApplicationFactory(interview=True)
    with pytest.raises(DomainError) as refused:
        move(application, "depart", officer, ActorKind.OFFICER)
    with translation.override("en"):
        assert str(refused.value) == (
            "This application is at the stage “interview”: it cannot be moved to “departed”."
        )
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    assert application.events.count() == 1


def test_the_journey_of_one_application(vacancy, officer):
    person = applicant()
    application = apply(person, vacancy)
    employer = employer_user(vacancy)
    move(application, "screen", officer, ActorKind.OFFICER)
    move(application, "interview", officer, ActorKind.OFFICER)
    move(application, "select", employer, ActorKind.EMPLOYER)
    move(application, "accept_offer", person.user, ActorKind.PERSON)
    for transition in ("start_pre_departure", "submit_visa", "grant_visa", "depart"):
        move(application, transition, officer, ActorKind.OFFICER)
    application.refresh_from_db()
    assert application.stage == Stage.DEPARTED
    log = list(application.events.values_list("to_stage", "actor_kind"))
    assert log == [
        ("applied", "person"),
        ("screening", "officer"),
        ("interview", "officer"),
        ("selected", "employer"),
        ("offer_accepted", "person"),
        ("pre_departure", "officer"),
        ("visa_submitted", "officer"),
        ("visa_granted", "officer"),
        ("departed", "officer"),
    ]
    assert Notification.objects.filter(job_seeker=person, kind="selected").count() == 1


def test_the_employer_decides_only_after_screening(vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    with pytest.raises(DomainError) as refused:
        move(application, "select", employer_user(vacancy), ActorKind.EMPLOYER)
    assert refused.value.message == Refusal.WRONG_STAGE


def test_another_employer_cannot_decide(vacancy):
    application = ApplicationFactory(vacancy=vacancy, screening=True)
    stranger = employer_user(vacancy_with_employer_account())
    with pytest.raises(DomainError) as refused:
        move(application, "select", stranger, ActorKind.EMPLOYER)
    assert refused.value.message == DomainError.NOT_PERMITTED


def test_an_officer_cannot_act_as_the_employer_and_records_the_decision_with_a_note(
    vacancy, officer
):
    application = ApplicationFactory(vacancy=vacancy, screening=True)
    with pytest.raises(DomainError):
        move(application, "select", officer, ActorKind.EMPLOYER)
    with pytest.raises(ValidationError) as missing:
        move(application, "select", officer, ActorKind.OFFICER)
    assert missing.value.error_dict["note"][0].message == Refusal.NOTE_ON_BEHALF
    move(application, "select", officer, ActorKind.OFFICER, note="The employer's e-mail of 3 May")
    event = application.events.last()
    assert (event.actor, event.actor_kind) == (officer, ActorKind.OFFICER)


def test_a_rejection_needs_a_reason_and_other_needs_a_note(vacancy):
    application = ApplicationFactory(vacancy=vacancy, interview=True)
    employer = employer_user(vacancy)
    with pytest.raises(ValidationError) as missing:
        move(application, "reject", employer, ActorKind.EMPLOYER)
    assert "reason_code" in missing.value.error_dict
    with pytest.raises(ValidationError) as missing:
        move(application, "reject", employer, ActorKind.EMPLOYER, reason_code="other")
    assert "note" in missing.value.error_dict
    move(application, "reject", employer, ActorKind.EMPLOYER, reason_code=RejectionReason.LANGUAGE)
    application.refresh_from_db()
    assert (application.stage, application.rejection_reason) == ("rejected", "language")
    assert application.events.last().reason_code == "language"


def test_the_person_withdraws_but_does_not_screen_themself(vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    person = application.job_seeker.user
    with pytest.raises(DomainError) as refused:
        move(application, "screen", person, ActorKind.PERSON)
    assert refused.value.message == DomainError.NOT_PERMITTED
    move(application, "withdraw", person, ActorKind.PERSON)
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_nobody_moves_as_gza_itself(officer):
    with pytest.raises(DomainError):
        move(ApplicationFactory(), "select", officer, ActorKind.SYSTEM)


def test_an_officer_outside_the_persons_scope_cannot_move(vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    with pytest.raises(DomainError) as refused:
        move(application, "screen", iom_officer(), ActorKind.OFFICER)
    assert refused.value.message == DomainError.NOT_PERMITTED


def test_moves_offered_to_each_actor(vacancy, officer):
    application = ApplicationFactory(vacancy=vacancy, interview=True)
    names = lambda user: [(k, t.name) for k, t in application_moves_for(user, application)]  # noqa: E731
    assert names(employer_user(vacancy)) == [("employer", "select"), ("employer", "reject")]
    assert names(application.job_seeker.user) == [("person", "withdraw")]
    assert ("officer", "cancel") in names(officer)
    assert names(UserFactory(role=Role.ANALYST)) == []


# Stale pages and concurrent moves -----------------------------------------------------------------


def test_two_officers_at_once_the_second_sees_a_clear_refusal(officer):
    """The service re-reads the application under a row lock (select_for_update); on SQLite
    the second officer's stale copy stands in for the one that waited on the lock."""
    application = ApplicationFactory()
    first_copy = Application.objects.get(pk=application.pk)
    second_copy = Application.objects.get(pk=application.pk)
    move(first_copy, "screen", officer, ActorKind.OFFICER)
    with pytest.raises(DomainError) as refused, translation.override("en"):
        move(second_copy, "screen", UserFactory(), ActorKind.OFFICER)
    with translation.override("en"):
        assert "at the stage “screening”" in str(refused.value)
    assert ApplicationEvent.objects.filter(application=application).count() == 2


def test_a_move_from_a_stale_page_is_refused_with_the_stage_now(officer):
    application = ApplicationFactory()
    move(application, "screen", officer, ActorKind.OFFICER)
    with pytest.raises(DomainError) as refused:
        move(
            application,
            "cancel",
            UserFactory(),
            ActorKind.OFFICER,
            expected_stage=Stage.APPLIED,
        )
    assert refused.value.message == Refusal.STALE
    application.refresh_from_db()
    assert application.stage == Stage.SCREENING


# Waitlist promotion -------------------------------------------------------------------------------


def published_round_of(vacancy, officer, people_selected, people_waiting):
    from gza.recruitment.models import SelectionRound, SelectionRoundEntry

    selection_round = SelectionRound.objects.create(
        vacancy=vacancy,
        method="lottery",
        places=len(people_selected),
        seed="0" * 64,
        status=RoundStatus.PUBLISHED,
        published_at=timezone.now(),
        created_by=officer,
    )
    for position, application in enumerate(people_selected + people_waiting, start=1):
        SelectionRoundEntry.objects.create(
            round=selection_round,
            application=application,
            position=position,
            draw_key=f"{position:064x}",
            outcome=(
                RoundOutcome.SELECTED
                if position <= len(people_selected)
                else RoundOutcome.WAITLISTED
            ),
        )
    return selection_round


def test_a_selected_persons_withdrawal_promotes_the_first_still_waiting(vacancy, officer):
    selected = ApplicationFactory(vacancy=vacancy, selected=True)
    gone = ApplicationFactory(vacancy=vacancy, waitlisted=True)
    second = ApplicationFactory(vacancy=vacancy, waitlisted=True)
    third = ApplicationFactory(vacancy=vacancy, waitlisted=True)
    published_round_of(vacancy, officer, [selected], [gone, second, third])
    move(gone, "withdraw", gone.job_seeker.user, ActorKind.PERSON)
    move(selected, "decline_offer", selected.job_seeker.user, ActorKind.PERSON)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.stage, third.stage) == (Stage.SELECTED, Stage.WAITLISTED)
    promotion = second.events.last()
    assert (promotion.transition, promotion.actor_kind, promotion.actor) == (
        "promote",
        ActorKind.SYSTEM,
        None,
    )


def test_a_waitlisted_persons_withdrawal_promotes_nobody(vacancy, officer):
    selected = ApplicationFactory(vacancy=vacancy, selected=True)
    first = ApplicationFactory(vacancy=vacancy, waitlisted=True)
    second = ApplicationFactory(vacancy=vacancy, waitlisted=True)
    published_round_of(vacancy, officer, [selected], [first, second])
    move(first, "withdraw", first.job_seeker.user, ActorKind.PERSON)
    second.refresh_from_db()
    assert second.stage == Stage.WAITLISTED
