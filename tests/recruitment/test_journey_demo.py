"""The demo journey (issue 6, item 13): the Poland pilot from the vacancy to reintegration,
loaded on top of the core, partners, demand and matching demos through the services; loaded
twice, nothing is added."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.utils import timezone

from gza.core.demo import demo_data_load
from gza.core.models import AuditEvent, User
from gza.demand.demo import demand_demo_load
from gza.demand.enums import VacancyStatus
from gza.demand.models import Vacancy
from gza.matching import engine
from gza.matching.demo import matching_demo_load
from gza.matching.enums import EntryDecision, RunStatus
from gza.mobility.enums import (
    GrievanceCategory,
    GrievanceSource,
    GrievanceStatus,
    PlacementStatus,
    ReturnKind,
)
from gza.mobility.models import Attendance, CheckIn, Grievance, Placement, Return
from gza.mobility.protection import check_ins_due
from gza.partners.demo import partners_demo_load
from gza.partners.models import AgreementQuota
from gza.recruitment.enums import RoundOutcome, RoundStatus, Stage, StartedVia
from gza.recruitment.journey_demo import (
    DEMO_JOB_SEEKER,
    JOURNEY_REF,
    LOW_PAY,
    RETURNEE,
    WAGE,
    journey_demo_load,
)
from gza.recruitment.models import Application, ApplicationEvent, SelectionRound
from gza.recruitment.selection import verify_round
from gza.registry.notifications import Notification
from gza.reintegration.models import ReintegrationCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey():
    engine.invalidate()
    demo_data_load(job_seekers=120)
    partners_demo_load()
    demand_demo_load()
    matching_demo_load()
    return journey_demo_load()


def counts() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "rounds": SelectionRound.objects.count(),
        "placements": Placement.objects.count(),
        "answered": CheckIn.objects.filter(answered_at__isnull=False).count(),
        "grievances": Grievance.objects.count(),
        "returns": Return.objects.count(),
        "cases": ReintegrationCase.objects.count(),
        "notifications": Notification.objects.count(),
        "audit": AuditEvent.objects.count(),
        "users": User.objects.count(),
    }


def test_the_poland_pilot_runs_from_application_to_reintegration_and_loads_once(journey):
    assert journey.startswith(
        "Journey (Poland pilot): 60 applicants, 46 selected (44 by a published lottery, 1 by "
        "the employer, the rest from the waitlist), 44 placements"
    )
    applications = Application.objects.filter(vacancy__external_ref=JOURNEY_REF)
    vacancy = applications.first().vacancy
    assert vacancy.status == VacancyStatus.FILLED
    assert vacancy.agreement.title_en == "Circular-migration pilot with IOM"

    # 60 applicants: the demo job seeker on the portal, 59 from a reviewed shortlist.
    assert applications.count() == 60
    assert applications.filter(started_via=StartedVia.PORTAL).get().job_seeker.user.email == (
        DEMO_JOB_SEEKER
    )
    run = vacancy.match_runs.get()
    assert run.status == RunStatus.REVIEWED
    assert run.entries.filter(decision=EntryDecision.EXCLUDED).exclude(decision_reason="")
    assert (
        applications.filter(started_via=StartedVia.SHORTLIST, shortlist_entry__run=run).count()
        == 59
    )

    # 40+ selected: 44 by the published lottery, the demo job seeker by the employer, one
    # promoted from the waitlist when a selected person declined; the rest still wait.
    selection_round = SelectionRound.objects.get(vacancy=vacancy)
    assert selection_round.status == RoundStatus.PUBLISHED
    assert selection_round.entries.filter(outcome=RoundOutcome.SELECTED).count() == 44
    assert selection_round.entries.filter(outcome=RoundOutcome.WAITLISTED).count() == 15
    ever_selected = ApplicationEvent.objects.filter(
        application__in=applications, to_stage=Stage.SELECTED
    )
    assert ever_selected.values("application").distinct().count() == 46
    assert ever_selected.filter(transition="promote").count() == 1
    assert applications.filter(stage=Stage.WAITLISTED).count() == 14
    assert applications.filter(stage=Stage.WITHDRAWN).count() == 1
    assert applications.filter(stage=Stage.VISA_REFUSED).count() == 1

    # The lottery reproduces from its published seed and application numbers alone.
    assert verify_round(selection_round).matches
    entries = list(selection_round.entries.select_related("application").order_by("position"))
    numbers = [str(entry.application.public_id) for entry in entries]
    key = lambda number: hashlib.sha256(f"{selection_round.seed}:{number}".encode()).hexdigest()  # noqa: E731
    assert sorted(numbers, key=key) == numbers

    # Orientation by IOM: certificates for everyone who departed.
    placements = Placement.objects.filter(application__vacancy=vacancy)
    assert placements.count() == 44
    attended = Attendance.objects.filter(application__vacancy=vacancy, attended=True)
    assert attended.count() == 44
    assert attended.exclude(certificate_code__isnull=False).count() == 0
    assert {a.session.organisation.kind for a in attended} == {"iom_ngo"}

    # Placements with the promised terms, counted against the pilot's quota.
    assert {(p.pay_amount, p.pay_currency, p.pay_period, p.hours_per_week) for p in placements} == {
        (WAGE, "PLN", "hour", 40)
    }
    assert {p.housing_cost for p in placements} == {Decimal("500.00")}
    year = placements.first().contract_start.year
    assert vacancy.agreement.quota_used(year=year, occupation_id="9211") == 44
    quota = AgreementQuota.objects.get(agreement=vacancy.agreement, year=year)
    assert quota.used == 44 and quota.near_limit

    # Check-ins mostly as promised; one worker's pay breach opened a grievance by itself,
    # escalated to the embassy in Poland once its week passed.
    grievance = Grievance.objects.get(placement__in=placements)
    assert grievance.source == GrievanceSource.CHECK_IN
    assert grievance.category == GrievanceCategory.PAY
    assert grievance.check_in.pay_received == LOW_PAY
    assert grievance.status == GrievanceStatus.ESCALATED
    assert grievance.escalated_at > grievance.response_due_at
    assert grievance.escalated_to.filter(country_id="PL", kind="embassy").exists()
    assert grievance.events.filter(action="escalate", actor__isnull=True).exists()
    assert (
        CheckIn.objects.filter(placement__in=placements, answered_at__isnull=False).count() == 170
    )
    assert CheckIn.objects.filter(placement__in=placements).exclude(breaches=[]).count() == 1

    # The demo job seeker: abroad, his grievance, a check-in due now.
    person = User.objects.get(email=DEMO_JOB_SEEKER).job_seeker
    own = placements.get(job_seeker=person)
    assert own.status == PlacementStatus.ACTIVE
    assert grievance.job_seeker == person
    assert check_ins_due(job_seeker=person).count() == 1

    # Returns: two at the end of the contract, two early, one of them referred to IOM's
    # reintegration, with an assessment, a plan line and the 3-month follow-up done.
    returns = Return.objects.filter(placement__in=placements)
    assert returns.filter(kind=ReturnKind.PLANNED).count() == 2
    assert returns.filter(kind=ReturnKind.EARLY).count() == 2
    case = ReintegrationCase.objects.get()
    assert case.placement.homecoming.referred_to_reintegration
    assert case.organisation.kind == "iom_ngo"
    assert case.assessments.count() == 1 and case.plan.count() == 1
    assert case.follow_ups.get(month=3).sustainability is not None
    assert case.job_seeker.user.email == RETURNEE
    assert placements.filter(status=PlacementStatus.ACTIVE).count() == 40

    # The story reads in order, in the past: each application's moves one after another,
    # before the departure; the check-ins answered after they were due.
    now = timezone.now()
    departure = own.departure_date
    for application in applications:
        moments = [e.occurred_at for e in application.events.order_by("id")]
        assert moments == sorted(moments) and moments[-1] <= now
        assert application.stage_since == moments[-1]
        assert timezone.localdate(moments[0]) < departure
    for check_in in CheckIn.objects.filter(placement__in=placements, answered_at__isnull=False):
        assert check_in.due_on <= timezone.localdate(check_in.answered_at) <= now.date()
    assert grievance.opened_at == grievance.check_in.answered_at
    assert grievance.opened_at < now - datetime.timedelta(days=7)

    # Loaded again, nothing is added.
    before = counts()
    assert journey_demo_load() == "Journey (Poland pilot): already loaded, nothing added."
    assert counts() == before


def test_one_worker_is_followed_from_application_to_reintegration(journey, client):
    """The demo job seeker's application, placement, check-ins and grievance, and the
    returnee's reintegration case, on the portal (Georgian, one page in English) and in the
    workspace."""
    account = User.objects.get(email=DEMO_JOB_SEEKER)
    client.force_login(account)
    html = client.get("/ka/me/applications/").content.decode()
    assert "ხილის მკრეფავი (მარწყვი, ვაშლი)" in html
    due = check_ins_due(job_seeker=account.job_seeker).get()
    check_ins = client.get("/ka/me/check-ins/").content.decode()
    assert f'name="check-in-{due.pk}-paid_as_promised"' in check_ins
    grievances = client.get("/en/me/grievances/").content.decode()
    assert "Escalated" in grievances
    assert client.get("/ka/me/placement/").status_code == 200

    client.force_login(User.objects.get(email=RETURNEE))
    page = client.get("/ka/me/reintegration/").content.decode()
    assert "IOM" in page

    case = ReintegrationCase.objects.get()
    application = case.placement.application
    client.force_login(User.objects.get(email="ministry@demo.gza.ge"))
    for path in (
        application.get_absolute_url(),
        case.placement.get_absolute_url(),
        case.get_absolute_url(),
        "/ka/workspace/grievances/",
    ):
        assert client.get(path).status_code == 200, path


def test_with_too_few_job_seekers_the_journey_is_skipped():
    """load_demo --job-seekers=0 (the demand tests' way) leaves the journey out, whole."""
    demo_data_load(job_seekers=0)
    partners_demo_load()
    demand_demo_load()
    assert "skipped" in journey_demo_load()
    assert not Application.objects.exists()
    assert not Vacancy.objects.filter(external_ref=JOURNEY_REF).exists()
