"""A Hypothesis state machine drives random moves by random actors (in random capacities,
with and without reasons and notes) on one application at a time, and checks that no illegal
stage is ever reached, that every refused move leaves the application and its log unchanged,
and that the log always retraces the stage.

The oracle below restates the rules of the issue independently of gza/recruitment/workflow.py:
the person applies, withdraws and answers an offer; the employer selects or rejects after
screening or an interview; the officer manages the rest and records others' decisions only as
OFFICER with a note."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from gza.core.enums import Role
from gza.core.errors import DomainError
from gza.recruitment.enums import ActorKind, Stage
from gza.recruitment.models import Application
from gza.recruitment.services import application_move
from tests.core.factories import UserFactory
from tests.recruitment.factories import (
    ApplicationFactory,
    applicant,
    employer_user,
    vacancy_with_employer_account,
)

pytestmark = pytest.mark.django_db

S = Stage
PRE = {S.APPLIED, S.SHORTLISTED, S.SCREENING, S.INTERVIEW}
HOLDING = {S.SELECTED, S.OFFER_ACCEPTED, S.PRE_DEPARTURE, S.VISA_SUBMITTED, S.VISA_GRANTED}
OPEN = PRE | HOLDING | {S.VISA_REFUSED, S.WAITLISTED}
P, E, OFF = ActorKind.PERSON, ActorKind.EMPLOYER, ActorKind.OFFICER
# transition: {actor kind: stages it may start from}, target
RULES = {
    "screen": ({OFF: {S.APPLIED, S.SHORTLISTED}}, S.SCREENING),
    "interview": ({OFF: {S.SCREENING}}, S.INTERVIEW),
    "select": ({E: {S.SCREENING, S.INTERVIEW}, OFF: PRE}, S.SELECTED),
    "reject": ({E: {S.SCREENING, S.INTERVIEW}, OFF: PRE | {S.WAITLISTED}}, S.REJECTED),
    "accept_offer": ({P: {S.SELECTED}, OFF: {S.SELECTED}}, S.OFFER_ACCEPTED),
    "decline_offer": ({P: {S.SELECTED}, OFF: {S.SELECTED}}, S.WITHDRAWN),
    "withdraw": ({P: OPEN, OFF: OPEN}, S.WITHDRAWN),
    "cancel": ({OFF: OPEN}, S.CANCELLED),
    "waitlist": ({OFF: PRE}, S.WAITLISTED),
    "promote": ({OFF: {S.WAITLISTED}}, S.SELECTED),
    "start_pre_departure": ({OFF: {S.OFFER_ACCEPTED}}, S.PRE_DEPARTURE),
    "submit_visa": ({OFF: {S.PRE_DEPARTURE, S.VISA_REFUSED}}, S.VISA_SUBMITTED),
    "grant_visa": ({OFF: {S.VISA_SUBMITTED}}, S.VISA_GRANTED),
    "refuse_visa": ({OFF: {S.VISA_SUBMITTED}}, S.VISA_REFUSED),
    "depart": ({OFF: {S.VISA_GRANTED}}, S.DEPARTED),
}
ON_BEHALF = {"select", "accept_offer", "decline_offer", "withdraw"}
REASONS = ["", "language", "other", "nonsense"]
NOTES = ["", "The employer's e-mail of 3 May"]


class World:
    """People and organisations made once per test; each example gets a fresh application."""

    def __init__(self) -> None:
        self.vacancy = vacancy_with_employer_account()
        self.officer = UserFactory(role=Role.MINISTRY_OFFICER)
        self.employer = employer_user(self.vacancy)
        self.other_employer = employer_user(vacancy_with_employer_account())
        self.stranger = applicant().user
        self.analyst = UserFactory(role=Role.ANALYST)


class ApplicationMachine(RuleBasedStateMachine):
    world: World

    @initialize(start=st.sampled_from([S.APPLIED, S.SHORTLISTED]))
    def start(self, start):
        self.application = ApplicationFactory(vacancy=self.world.vacancy, stage=start)
        self.actors = {
            "officer": (self.world.officer, OFF),
            "employer": (self.world.employer, E),
            "person": (self.application.job_seeker.user, P),
            "other employer": (self.world.other_employer, None),
            "stranger": (self.world.stranger, None),
            "analyst": (self.world.analyst, None),
        }

    def legal(self, transition, stage, who, as_, reason, note) -> bool:
        _user, kind = self.actors[who]
        if transition not in RULES or kind != as_:
            return False
        sources, _target = RULES[transition]
        if stage not in sources.get(as_, set()):
            return False
        if transition == "reject" and (
            reason not in ("language", "other") or (reason == "other" and not note)
        ):
            return False
        return not (as_ == OFF and transition in ON_BEHALF and not note)

    @rule(
        transition=st.sampled_from([*RULES, "teleport"]),
        who=st.sampled_from(
            ["officer", "employer", "person", "other employer", "stranger", "analyst"]
        ),
        as_=st.sampled_from([P, E, OFF, ActorKind.SYSTEM]),
        reason=st.sampled_from(REASONS),
        note=st.sampled_from(NOTES),
    )
    def move(self, transition, who, as_, reason, note):
        before = Application.objects.get(pk=self.application.pk)
        events_before = before.events.count()
        expected = self.legal(transition, before.stage, who, as_, reason, note)
        try:
            application_move(
                actor=self.actors[who][0],
                application=before,
                transition=transition,
                as_=as_,
                reason_code=reason,
                note=note,
            )
        except (DomainError, ValidationError):
            assert not expected, f"{who} as {as_} refused {transition} from {before.stage}"
            after = Application.objects.get(pk=self.application.pk)
            assert (after.stage, after.stage_since, after.rejection_reason) == (
                before.stage,
                before.stage_since,
                before.rejection_reason,
            )
            assert after.events.count() == events_before
        else:
            assert expected, f"{who} as {as_} made {transition} from {before.stage}"
            after = Application.objects.get(pk=self.application.pk)
            assert after.stage == RULES[transition][1]
            assert after.events.count() == events_before + 1

    @rule(data=st.data())
    def proceed(self, data):
        """A legal move, so examples get past the first stages (random ones rarely are)."""
        stage = Application.objects.get(pk=self.application.pk).stage
        options = sorted(
            (transition, who)
            for transition, (sources, _target) in RULES.items()
            for who, (_user, kind) in self.actors.items()
            if kind is not None and stage in sources.get(kind, set())
        )
        if not options:
            return
        transition, who = data.draw(st.sampled_from(options))
        self.move(transition, who, self.actors[who][1], "language", NOTES[1])

    @invariant()
    def the_log_retraces_the_stage(self):
        application = Application.objects.get(pk=self.application.pk)
        assert application.stage in Stage.values
        events = list(application.events.order_by("occurred_at", "id"))
        assert events[0].to_stage in (S.APPLIED, S.SHORTLISTED)
        for previous, event in itertools.pairwise(events):
            assert event.from_stage == previous.to_stage
            sources, target = RULES[event.transition]
            assert event.to_stage == target
            assert event.from_stage in sources[event.actor_kind]
        assert events[-1].to_stage == application.stage


@settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
class ApplicationMachineSettings(ApplicationMachine):
    pass


def test_random_moves_never_reach_an_illegal_stage():
    ApplicationMachineSettings.world = World()
    ApplicationMachineSettings.TestCase().runTest()
