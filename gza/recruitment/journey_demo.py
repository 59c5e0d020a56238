"""Demo journey: the Poland pilot end to end, from the vacancy to reintegration (issue 6, item
13). Everything goes through the domain services, so the stage logs, the audit trail, the
lottery's published seed, the check-in comparison and the notifications are the real ones.

The story, in days around the contract start S (chosen so that the workers' fifth monthly
check-in is due today):

- S-110..S-105  the ministry enters a fruit pickers' vacancy of Sady Grójeckie under the pilot
                (45 places, a lottery), and publishes it;
- S-95          the demo job seeker (jobseeker@demo.gza.ge) applies on the portal; the employer
                picks him after an interview (recorded by the ministry on its behalf);
- S-90..S-88    a shortlist is run and reviewed; applications are started from its kept lines
                (60 applicants in all);
- S-78          the lottery draws 44 places among the 59 others; the rest are waitlisted;
- S-75..S-70    offers accepted (one declined: the first waitlisted is promoted), pre-departure;
- S-60..S-20    checklist, IOM's orientation with certificates (S-30), visas (one refused);
- S-1           44 departures: placements with the promised terms, check-ins scheduled;
- S+14, monthly check-ins answered as promised, except the demo job seeker's fourth (a month
                ago): 3 PLN an hour against 28 promised opens a pay grievance by itself, which
                nobody answers within its week and is escalated to the embassy in Poland; his
                fifth check-in is due today;
- returns       two at the end of three-month contracts, one early for family reasons, and one
                early for health (S+30) with a referral: IOM's reintegration case, assessed,
                with medical care planned and the 3-month follow-up done. That returnee gets a
                portal account too (returnee@demo.gza.ge), so both ends of the journey can be
                followed on the portal as well as in the workspace.

Demo shortcuts, each said where it is made: the services stamp what they record with the present
moment, so once the story is recorded its timestamps (stage log, round, check-in answers,
grievance, vacancy dates) are moved back onto the story's calendar; the audit trail keeps the
true time of loading. The promised wage is 28.00 PLN an hour, not the 23.50 of the tests' own
placements: the demo records Poland's minimum wage, and publishing below it is refused.

Idempotent: the vacancy (external reference JOURNEY_REF) is the marker; when it exists nothing
is added. All or nothing: one transaction."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gza.core.demo import DEMO_PASSWORD
from gza.core.enums import OrganisationKind, Role
from gza.core.models import Organisation, User
from gza.demand.enums import SelectionMethod, WagePeriod
from gza.demand.models import ForeignEmployer, Vacancy, VacancyEvent
from gza.demand.vacancies import vacancy_move, vacancy_save
from gza.matching import engine
from gza.matching.enums import EntryDecision, RunTrigger
from gza.matching.models import MatchRun
from gza.matching.runs import review_run, run_shortlist
from gza.mobility.enums import (
    ChecklistItem,
    EarlyReturnReason,
    GrievanceSource,
    PaidAsPromised,
    PayPeriod,
    ReturnKind,
)
from gza.mobility.models import (
    Attendance,
    CheckIn,
    ChecklistMark,
    Grievance,
    GrievanceEvent,
    OrientationSession,
    Placement,
    Return,
)
from gza.mobility.protection import check_in_answer, grievances_escalate_overdue, response_due
from gza.mobility.services import (
    attendance_mark,
    checklist_mark,
    placement_create,
    return_record,
    session_invite,
    session_save,
)
from gza.partners.models import Agreement, AgreementQuota
from gza.partners.services import quota_record
from gza.recruitment.enums import ActorKind, RoundOutcome, Stage, StartedVia
from gza.recruitment.models import Application, ApplicationEvent, SelectionRound
from gza.recruitment.selection import round_draw, round_publish
from gza.recruitment.services import (
    application_move,
    application_start,
    applications_from_shortlist,
)
from gza.registry.enums import ConsentPurpose
from gza.registry.models import JobSeeker, SoughtOccupation
from gza.registry.profile import job_seeker_set_sought_occupations
from gza.reintegration.enums import AssistanceKind, AssistanceStatus, Vulnerability
from gza.reintegration.models import ReintegrationCase
from gza.reintegration.services import (
    add_months,
    assessment_record,
    assistance_add,
    assistance_status_set,
    follow_up_record,
)
from gza.taxonomy.models import Language

JOURNEY_REF = "DEMO-PL-JOURNEY"
POLAND_PILOT = "Circular-migration pilot with IOM"  # gza/demand/demo.py's POLAND_PILOT
SADY_GROJECKIE = ("PL", "0000900001")  # the demo employer in Grójec (gza/demand/demo.py)
DEMO_JOB_SEEKER = "jobseeker@demo.gza.ge"  # gza/core/demo.py's DEMO_USERS
RETURNEE = "returnee@demo.gza.ge"
OCCUPATION = "9211"  # crop farm labourers
APPLICANTS = 60
POSITIONS = 45
# The quota of the pilot for fruit pickers in the season's year: 44 placements of 48 places
# bring the agreement page's "near the limit" warning.
QUOTA_PLACES = 48
WAGE = Decimal("28.00")  # PLN an hour, above the demo's Polish minimum wage
HOURS = 40
HOUSING_COST = Decimal("500.00")  # PLN a month
LOW_PAY = Decimal("3.00")  # what the worker reports: the "3 an hour"
CONTRACT_MONTHS = 6
SHORT_CONTRACT_MONTHS = 3
# Days from the contract start at which each move of an application happened in the story.
STORY_DAY = {
    "apply": -95,
    "start_from_shortlist": -88,
    "screen": -86,
    "interview": -84,
    "select": -78,
    "waitlist": -78,
    "accept_offer": -75,
    "decline_offer": -74,
    "promote": -74,
    "start_pre_departure": -70,
    "submit_visa": -60,
    "refuse_visa": -22,
    "grant_visa": -20,
    "depart": -1,
}
EMPLOYER_SELECTS_DAY = -82  # the employer's choice after the interview, before the lottery
VACANCY_DAYS = {"create": -110, "submit": -108, "verify": -106, "publish": -105, "close": -79}
DEADLINE_DAY = -80
SHORTLIST_DAY = -89
ORIENTATION_DAY = -30
CHECKLIST_DAYS = {
    ChecklistItem.MEDICAL: -50,
    ChecklistItem.CONTRACT: -45,
    ChecklistItem.INSURANCE: -25,
    ChecklistItem.DOCUMENTS: -10,
}
EARLY_RETURN_DAY = 30  # the returnee referred to reintegration (health)
FAMILY_RETURN_DAY = 80

EXCLUDED_REASONS = [
    "ტელეფონზე ვერ დავუკავშირდით. / Could not be reached at the phone number given.",
    "ამ სეზონზე უკვე სხვაგან მუშაობს. / Already has work this season.",
]


@dataclass(frozen=True)
class Calendar:
    """The story's dates, all relative to today so it stays true whenever it is loaded."""

    today: datetime.date
    start: datetime.date  # S, the contract start

    @classmethod
    def for_today(cls, today: datetime.date) -> "Calendar":
        # The first check-in comes two weeks after the start, then one a month: four months
        # after the first, the fifth is due today.
        first = add_months(today, -4)
        return cls(today=today, start=first - datetime.timedelta(days=14))

    def day(self, offset: int) -> datetime.date:
        return self.start + datetime.timedelta(days=offset)

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
        moment = datetime.datetime.combine(day, datetime.time(hour % 24, minute % 60))
        return timezone.make_aware(moment)

    @property
    def departure(self) -> datetime.date:
        return self.day(-1)

    def contract_end(self, months: int) -> datetime.date:
        return add_months(self.start, months) - datetime.timedelta(days=1)


@dataclass
class Cast:
    ministry: User
    caseworker: User
    person_user: User
    person: JobSeeker
    agreement: Agreement
    employer: ForeignEmployer
    iom: Organisation


@dataclass
class Story:
    """What was recorded, for the summary and the later steps."""

    vacancy: Vacancy | None = None
    run: MatchRun | None = None
    applications: list[Application] = field(default_factory=list)
    round: SelectionRound | None = None
    own: Application | None = None  # the demo job seeker's
    placements: list[Placement] = field(default_factory=list)
    answered: int = 0
    grievance: Grievance | None = None
    returns: int = 0
    case: ReintegrationCase | None = None
    returnee: JobSeeker | None = None


def _cast() -> Cast | None:
    """The people and records the journey needs from the other demos, or None when one is
    missing (core, partners and demand demos not loaded)."""
    ministry = User.objects.filter(role=Role.MINISTRY_OFFICER).order_by("pk").first()
    caseworker = (
        User.objects.filter(role=Role.CASEWORKER, organisation__kind=OrganisationKind.IOM_NGO)
        .order_by("pk")
        .first()
    )
    person_user = User.objects.filter(email=DEMO_JOB_SEEKER, role=Role.JOB_SEEKER).first()
    person = JobSeeker.objects.filter(user=person_user).first() if person_user else None
    agreement = Agreement.objects.filter(title_en=POLAND_PILOT).first()
    employer = ForeignEmployer.objects.filter(
        country_id=SADY_GROJECKIE[0], registration_number=SADY_GROJECKIE[1]
    ).first()
    if None in (ministry, caseworker, person, agreement, employer):
        return None
    return Cast(
        ministry=ministry,
        caseworker=caseworker,
        person_user=person_user,
        person=person,
        agreement=agreement,
        employer=employer,
        iom=caseworker.organisation,
    )


def _candidates(cast: Cast) -> int:
    """How many people besides the demo job seeker a shortlist could keep: active records
    with the standing consent to registration and matching, not abroad now."""
    return (
        JobSeeker.objects.active()
        .consenting_to(ConsentPurpose.REGISTRATION)
        .exclude(pk__in=JobSeeker.objects.currently_placed().values("pk"))
        .exclude(pk=cast.person.pk)
        .count()
    )


def journey_demo_load() -> str:
    """Load the Poland pilot's journey (see the module's docstring); returns a one-line
    summary of what was added."""
    if Vacancy.objects.filter(external_ref=JOURNEY_REF).exists():
        return "Journey (Poland pilot): already loaded, nothing added."
    cast = _cast()
    if cast is None:
        return "Journey (Poland pilot): skipped, the core, partners and demand demos are missing."
    if _candidates(cast) < APPLICANTS - 1:
        return (
            f"Journey (Poland pilot): skipped, it needs {APPLICANTS} job seekers "
            "(load_demo --job-seekers)."
        )
    calendar = Calendar.for_today(timezone.localdate())
    story = Story()
    # Demo profiles are written in bulk, past the signals that mark the index stale.
    engine.invalidate()
    with transaction.atomic():
        story.vacancy = _vacancy(cast, calendar)
        _applications(cast, story)
        _selection(cast, story)
        _offers(cast, story)
        holding = _pre_departure(cast, calendar, story)
        _departures(cast, calendar, story, holding)
        _check_ins(cast, calendar, story)
        _backdate(calendar, story)
        _grievance_escalated(story)
        _returns(cast, calendar, story)
        _reintegration(cast, calendar, story)
        _returnee_account(story)
    drawn = story.round.entries.filter(outcome=RoundOutcome.SELECTED).count()
    selected = (
        ApplicationEvent.objects.filter(application__vacancy=story.vacancy, to_stage=Stage.SELECTED)
        .values("application")
        .distinct()
        .count()
    )
    return (
        f"Journey (Poland pilot): {len(story.applications)} applicants, {selected} selected "
        f"({drawn} by a published lottery, 1 by the employer, the rest from the waitlist), "
        f"{len(story.placements)} placements, "
        f"{story.answered} check-ins answered, 1 pay grievance escalated, {story.returns} "
        f"returns, 1 reintegration case; {DEMO_JOB_SEEKER} is abroad with a check-in due, "
        f"{RETURNEE} is home with a reintegration case."
    )


# The vacancy ------------------------------------------------------------------------------------


def _vacancy(cast: Cast, calendar: Calendar) -> Vacancy:
    """The ministry enters the pilot's vacancy and publishes it (deadline tomorrow, so the demo
    job seeker can still apply; its dates move back onto the story's calendar in _backdate)."""
    vacancy = vacancy_save(
        actor=cast.ministry,
        vacancy=Vacancy(
            employer=cast.employer,
            country_id="PL",
            city="Grójec",
            agreement=cast.agreement,
            occupation_id=OCCUPATION,
            title_ka="ხილის მკრეფავი (მარწყვი, ვაშლი)",
            title_en="Fruit picker (strawberries, apples)",
            description_ka="დემო ვაკანსია, საპილოტე პროექტის სეზონი: პირობები საილუსტრაციოა.",
            description_en="Demo vacancy, the pilot's season: the terms are illustrative.",
            positions=POSITIONS,
            wage_amount=WAGE,
            wage_currency="PLN",
            wage_period=WagePeriod.HOUR,
            hours_per_week=HOURS,
            contract_months=CONTRACT_MONTHS,
            start_date=calendar.today + datetime.timedelta(days=2),
            application_deadline=calendar.today + datetime.timedelta(days=1),
            housing_provided=True,
            insurance_provided=True,
            selection_method=SelectionMethod.LOTTERY,
            external_ref=JOURNEY_REF,
        ),
        languages=[],
    )
    for move in ("submit", "verify", "publish"):
        vacancy = vacancy_move(actor=cast.ministry, vacancy=vacancy, transition=move)
    return vacancy


# Applications and selection ---------------------------------------------------------------------


def _applications(cast: Cast, story: Story) -> None:
    """The demo job seeker applies on the portal; a shortlist is run and reviewed, and the
    applications of its kept lines are started: 60 applicants in all."""
    vacancy = story.vacancy
    _seeks_fruit_picking(cast)
    story.own = application_start(
        actor=cast.person_user, job_seeker=cast.person, vacancy=vacancy, via=StartedVia.PORTAL
    )
    others = APPLICANTS - 1
    run = run_shortlist(vacancy, actor=cast.ministry, trigger=RunTrigger.MANUAL, limit=others + 4)
    decisions, kept = {}, 0
    for entry in run.entries.order_by("rank"):
        if entry.job_seeker_id == cast.person.pk or kept < others:
            decisions[entry.pk] = (EntryDecision.KEPT, "")
            kept += entry.job_seeker_id != cast.person.pk
        else:
            reason = EXCLUDED_REASONS[len(decisions) % len(EXCLUDED_REASONS)]
            decisions[entry.pk] = (EntryDecision.EXCLUDED, reason)
    story.run = review_run(
        run,
        actor=cast.ministry,
        decisions=decisions,
        note="ყველას ტელეფონით დავუკავშირდით. / Everyone was called by phone.",
    )
    applications_from_shortlist(actor=cast.ministry, run=story.run)
    story.applications = list(Application.objects.filter(vacancy=vacancy).order_by("pk"))


def _seeks_fruit_picking(cast: Cast) -> None:
    """The demo job seeker adds fruit picking to the work he seeks on his profile, before he
    applies (the demand demo gave him other occupations)."""
    rows = list(SoughtOccupation.objects.filter(job_seeker=cast.person))
    if any(row.occupation_id == OCCUPATION for row in rows):
        return
    rows.append(SoughtOccupation(occupation_id=OCCUPATION, years_experience=1))
    job_seeker_set_sought_occupations(actor=cast.person_user, person=cast.person, rows=rows)


def _move(cast: Cast, application: Application, transition: str, **extra) -> Application:
    """An officer's move (by default) through the recruitment service."""
    return application_move(
        actor=extra.pop("actor", cast.ministry),
        application=application,
        transition=transition,
        as_=extra.pop("as_", ActorKind.OFFICER),
        **extra,
    )


def _selection(cast: Cast, story: Story) -> None:
    """The employer picks the demo job seeker after an interview; applications close; the
    lottery draws the other places among the eligible and is published."""
    own = story.own
    _move(cast, own, "screen")
    _move(cast, own, "interview")
    _move(
        cast,
        own,
        "select",
        note="დამსაქმებლის გადაწყვეტილება გასაუბრების შემდეგ (ელფოსტით). / The employer's "
        "decision after the video interview, received by e-mail.",
    )
    story.vacancy = vacancy_move(actor=cast.ministry, vacancy=story.vacancy, transition="close")
    drawn = round_draw(actor=cast.ministry, vacancy=story.vacancy, places=POSITIONS - 1)
    story.round = round_publish(actor=cast.ministry, selection_round=drawn)


def _offers(cast: Cast, story: Story) -> None:
    """The last one selected declines (the first waitlisted is promoted in their place);
    everyone else holding a place accepts: the demo job seeker on the portal, the others by
    phone."""
    entries = list(story.round.entries.select_related("application").order_by("position"))
    selected = [e.application for e in entries if e.outcome == RoundOutcome.SELECTED]
    _move(
        cast,
        selected[-1],
        "decline_offer",
        note="ტელეფონით უარი თქვა: საქართველოში იპოვა სამუშაო. / Declined by phone: has found "
        "work in Georgia.",
    )
    _move(cast, story.own, "accept_offer", actor=cast.person_user, as_=ActorKind.PERSON)
    for application in Application.objects.filter(
        vacancy=story.vacancy, stage=Stage.SELECTED
    ).order_by("pk"):
        _move(
            cast,
            application,
            "accept_offer",
            note="შეთავაზება ტელეფონით მიიღო. / Accepted the offer by phone.",
        )


def _round_order(story: Story) -> dict[int, int]:
    """Each application's place in the lottery's order; the employer's pick comes first."""
    order = {story.own.pk: 0}
    order.update(story.round.entries.values_list("application_id", "position"))
    return order


# Pre-departure ----------------------------------------------------------------------------------


def _pre_departure(cast: Cast, calendar: Calendar, story: Story) -> list[Application]:
    """Pre-departure for everyone who accepted: the checklist, IOM's orientation (one absent),
    visas (the absent one's refused). Returns the applications ready to depart, in the
    lottery's order."""
    order = _round_order(story)
    accepted = sorted(
        Application.objects.filter(vacancy=story.vacancy, stage=Stage.OFFER_ACCEPTED),
        key=lambda a: order[a.pk],
    )
    for application in accepted:
        _move(cast, application, "start_pre_departure")
    preparing = [Application.objects.get(pk=a.pk) for a in accepted]
    # The contracts are in Georgian: a language every worker understands.
    georgian = Language.objects.get(pk="ka")
    for application in preparing:
        for item, offset in CHECKLIST_DAYS.items():
            checklist_mark(
                actor=cast.ministry,
                application=application,
                item=item,
                done_on=calendar.day(offset),
                language=georgian if item == ChecklistItem.CONTRACT else None,
            )
    session = session_save(
        actor=cast.ministry,
        session=OrientationSession(
            starts_at=calendar.at(calendar.day(ORIENTATION_DAY), 10),
            place="თბილისი, IOM-ის ოფისი, ჭავჭავაძის გამზ. 12 / Tbilisi, IOM office",
            organisation=cast.iom,
            agreement=cast.agreement,
            topics_ka="შრომის უფლებები პოლონეთში; ხელშეკრულება და ანაზღაურება; საცხოვრებელი; "
            "დახმარების ცხელი ხაზები; ტრეფიკინგის ნიშნები",
            topics_en="Labour rights in Poland; the contract and pay; housing; helplines; "
            "signs of trafficking",
            capacity=POSITIONS + 5,
        ),
    )
    invited = session_invite(actor=cast.ministry, session=session, applications=preparing)
    absent = preparing[-1]
    for attendance in invited:
        attendance_mark(
            actor=cast.ministry,
            attendance=attendance,
            attended=attendance.application_id != absent.pk,
        )
    ready = []
    for application in preparing:
        _move(cast, application, "submit_visa")
        if application.pk == absent.pk:
            _move(cast, application, "refuse_visa")
        else:
            _move(cast, application, "grant_visa")
            ready.append(application)
    return ready


# Departures and check-ins -----------------------------------------------------------------------


def _departures(cast: Cast, calendar: Calendar, story: Story, ready: list[Application]) -> None:
    """The pilot's quota for fruit pickers in the season's year, then one placement per
    departure with the promised terms (two on three-month contracts); the vacancy is filled."""
    year = calendar.start.year
    quotas = AgreementQuota.objects.filter(agreement=cast.agreement, year=year)
    if not quotas.filter(occupation_id=OCCUPATION).exists():
        quota_record(
            actor=cast.ministry,
            quota=AgreementQuota(
                agreement=cast.agreement, year=year, occupation_id=OCCUPATION, places=QUOTA_PLACES
            ),
        )
    short = {application.pk for application in ready[2:4]}
    for application in ready:
        months = SHORT_CONTRACT_MONTHS if application.pk in short else CONTRACT_MONTHS
        story.placements.append(
            placement_create(
                actor=cast.ministry,
                application=application,
                departure_date=calendar.departure,
                contract_start=calendar.start,
                contract_end=calendar.contract_end(months),
                pay_amount=WAGE,
                pay_currency="PLN",
                pay_period=PayPeriod.HOUR,
                hours_per_week=HOURS,
                housing_provided=True,
                housing_cost=HOUSING_COST,
                deductions="",
                city="Grójec",
            )
        )
    story.vacancy = vacancy_move(actor=cast.ministry, vacancy=story.vacancy, transition="fill")


def _roles(calendar: Calendar, story: Story) -> dict[int, tuple[datetime.date, str, str, bool]]:
    """Who comes home, by placement: (returned on, kind, reason, referred). The first departure
    is the demo job seeker, who stays; the next one comes home early for health and is referred
    to reintegration; two finish their three-month contracts; one goes home for family
    reasons."""
    p = story.placements
    return {
        p[1].pk: (calendar.day(EARLY_RETURN_DAY), ReturnKind.EARLY, EarlyReturnReason.HEALTH, True),
        p[2].pk: (calendar.contract_end(SHORT_CONTRACT_MONTHS), ReturnKind.PLANNED, "", False),
        p[3].pk: (calendar.contract_end(SHORT_CONTRACT_MONTHS), ReturnKind.PLANNED, "", False),
        p[4].pk: (
            calendar.day(FAMILY_RETURN_DAY),
            ReturnKind.EARLY,
            EarlyReturnReason.FAMILY,
            False,
        ),
    }


def _check_ins(cast: Cast, calendar: Calendar, story: Story) -> None:
    """Every check-in due a week ago or earlier is answered while the worker is there, as
    promised (by phone, recorded by the ministry), except the demo job seeker's own, answered
    on the portal: his fourth reports 3 PLN an hour, and the comparison with the promise opens
    a grievance. The check-in due today stays unanswered."""
    roles = _roles(calendar, story)
    answered_until = calendar.today - datetime.timedelta(days=7)
    own = story.placements[0]
    for index, placement in enumerate(story.placements):
        home = roles.get(placement.pk, (None,))[0]
        due = placement.check_ins.filter(due_on__lte=answered_until).order_by("sequence")
        for check_in in due:
            if home is not None and check_in.due_on > home:
                break
            answers = {
                "paid_as_promised": PaidAsPromised.YES,
                "pay_received": WAGE,
                "hours_per_week": HOURS + (index + check_in.sequence) % 5,
                "housing_as_promised": True,
                "documents_held_by_employer": False,
                "feels_safe": True,
            }
            actor = cast.ministry
            if placement.pk == own.pk:
                actor = cast.person_user
                if check_in.sequence == 4:
                    answers |= {
                        "paid_as_promised": PaidAsPromised.NO,
                        "pay_received": LOW_PAY,
                        "comment": "საათში 3 ზლოტი გადაგვიხადეს, 28-ის ნაცვლად, რაც "
                        "ხელშეკრულებაშია. / We are paid 3 zloty an hour, not the 28 in the "
                        "contract.",
                    }
            check_in_answer(actor=actor, check_in=check_in, **answers)
            story.answered += 1
    story.grievance = Grievance.objects.get(
        placement=own, source=GrievanceSource.CHECK_IN, check_in__sequence=4
    )


# The story's calendar ---------------------------------------------------------------------------


def _backdate(calendar: Calendar, story: Story) -> None:
    """Demo shortcut: the services stamped what they recorded with the present moment; the
    story happened over the past months, so those stamps move back onto its calendar (each
    application's moves in their order, a few hours apart). The audit trail is left as it is:
    it says when the demo was loaded."""
    vacancy = story.vacancy
    now = timezone.now()
    # The vacancy: its history, deadline and start.
    for event in VacancyEvent.objects.filter(vacancy=vacancy):
        day = VACANCY_DAYS.get(event.transition, STORY_DAY["depart"])
        VacancyEvent.objects.filter(pk=event.pk).update(occurred_on=calendar.day(day))
    Vacancy.objects.filter(pk=vacancy.pk).update(
        application_deadline=calendar.day(DEADLINE_DAY),
        start_date=calendar.start,
        status_since=calendar.departure,
        created_at=calendar.at(calendar.day(VACANCY_DAYS["create"]), 9),
    )
    MatchRun.objects.filter(pk=story.run.pk).update(
        created_at=calendar.at(calendar.day(SHORTLIST_DAY - 1), 9, 30),
        reviewed_at=calendar.at(calendar.day(SHORTLIST_DAY), 15),
    )
    SelectionRound.objects.filter(pk=story.round.pk).update(
        created_at=calendar.at(calendar.day(STORY_DAY["select"]), 10),
        published_at=calendar.at(calendar.day(STORY_DAY["select"]), 11),
    )
    # Each application's moves, in their order.
    events = ApplicationEvent.objects.filter(application__vacancy=vacancy).order_by(
        "application_id", "id"
    )
    first, last, previous = {}, {}, {}
    for event in events:
        offset = STORY_DAY.get(event.transition, STORY_DAY["depart"])
        if event.transition == "select" and event.actor_kind == ActorKind.OFFICER:
            offset = EMPLOYER_SELECTS_DAY
        pk = event.application_id
        moment = calendar.at(calendar.day(offset), 9 + pk % 8, (pk * 7) % 60)
        if pk in previous and moment <= previous[pk]:
            moment = previous[pk] + datetime.timedelta(hours=2)
        event.occurred_at = previous[pk] = min(moment, now)
        first.setdefault(pk, event.occurred_at)
        last[pk] = event.occurred_at
    ApplicationEvent.objects.bulk_update(events, ["occurred_at"], batch_size=500)
    applications = list(Application.objects.filter(vacancy=vacancy))
    for application in applications:
        application.created_at = first[application.pk]
        application.stage_since = last[application.pk]
    Application.objects.bulk_update(applications, ["created_at", "stage_since"], batch_size=500)
    # The checklist and the orientation's certificates.
    for item, offset in CHECKLIST_DAYS.items():
        ChecklistMark.objects.filter(application__vacancy=vacancy, item=item).update(
            recorded_at=calendar.at(calendar.day(offset), 16)
        )
    session_day = calendar.day(ORIENTATION_DAY)
    Attendance.objects.filter(application__vacancy=vacancy, attended=True).update(
        certificate_issued_at=calendar.at(session_day, 16)
    )
    Placement.objects.filter(application__vacancy=vacancy).update(
        created_at=calendar.at(calendar.departure, 8)
    )
    # Check-in answers: the evening of the day they were due, or a day or two later.
    answered = list(
        CheckIn.objects.filter(placement__application__vacancy=vacancy, answered_at__isnull=False)
    )
    for check_in in answered:
        day = check_in.due_on + datetime.timedelta(days=check_in.pk % 3)
        check_in.answered_at = min(calendar.at(day, 18 + check_in.pk % 4, check_in.pk % 60), now)
    CheckIn.objects.bulk_update(answered, ["answered_at"], batch_size=500)
    # The grievance the pay breach opened, at the moment of that answer.
    _grievance_backdate(story)


def _grievance_backdate(story: Story) -> None:
    """Demo shortcut: the grievance opened at the moment of the answer that opened it, its
    deadline a week later (as the service would have set it then)."""
    grievance = story.grievance
    opened = CheckIn.objects.get(pk=grievance.check_in_id).answered_at
    due = response_due(grievance.severity, opened)
    Grievance.objects.filter(pk=grievance.pk).update(opened_at=opened, response_due_at=due)
    GrievanceEvent.objects.filter(grievance=grievance, action="open").update(occurred_at=opened)
    grievance.refresh_from_db()


def _grievance_escalated(story: Story) -> None:
    """Nobody answered the pay grievance within its week: the escalation job, run an hour
    after the deadline, sends it to the embassy in Poland."""
    grievances_escalate_overdue(now=story.grievance.response_due_at + datetime.timedelta(hours=1))
    story.grievance.refresh_from_db()


# Returns and reintegration ----------------------------------------------------------------------


def _returns(cast: Cast, calendar: Calendar, story: Story) -> None:
    """The returns of _roles, recorded by the ministry; the referral opens IOM's case."""
    placements = {placement.pk: placement for placement in story.placements}
    for pk, (returned_on, kind, reason, refer) in _roles(calendar, story).items():
        homecoming = return_record(
            actor=cast.ministry,
            placement=placements[pk],
            kind=kind,
            returned_on=returned_on,
            reason=reason,
            refer=refer,
            organisation=cast.iom if refer else None,
        )
        # Demo shortcut: recorded the day after the return, not today.
        Return.objects.filter(pk=homecoming.pk).update(
            recorded_at=calendar.at(returned_on + datetime.timedelta(days=1), 11)
        )
        story.returns += 1


def _reintegration(cast: Cast, calendar: Calendar, story: Story) -> None:
    """IOM's caseworker assesses the returnee, plans medical care and records the 3-month
    follow-up."""
    returnee = story.placements[1]
    returned_on = calendar.day(EARLY_RETURN_DAY)
    case = ReintegrationCase.objects.get(placement=returnee)
    # Demo shortcut: the case was opened with the referral, days after the return.
    ReintegrationCase.objects.filter(pk=case.pk).update(
        opened_on=returned_on + datetime.timedelta(days=3)
    )
    case.refresh_from_db()
    worker = cast.caseworker
    assessment_record(
        actor=worker,
        case=case,
        economic=2,
        social=1,
        psychosocial=2,
        medical=2,
        vulnerability=Vulnerability.MEDIUM,
        notes="ზურგის ტრავმა მარწყვის კრეფისას; ოჯახის ერთადერთი შემოსავალი იყო. / Back injury "
        "picking strawberries; the family's only income.",
        assessed_on=returned_on + datetime.timedelta(days=10),
    )
    item = assistance_add(
        actor=worker,
        case=case,
        kind=AssistanceKind.MEDICAL,
        provider="თელავის რეაბილიტაციის ცენტრი (დემო) / Telavi rehabilitation centre (demo)",
        amount=Decimal("1200.00"),
        currency="GEL",
        note="ფიზიოთერაპიის 12 სეანსი. / Twelve physiotherapy sessions.",
    )
    assistance_status_set(actor=worker, item=item, status=AssistanceStatus.IN_PROGRESS)
    follow_up = case.follow_ups.get(month=3)
    follow_up_record(
        actor=worker,
        follow_up=follow_up,
        economic=45,
        social=70,
        psychosocial=60,
        notes="მკურნალობა მიმდინარეობს; შემდეგ სეზონზე წასვლას გეგმავს. / Treatment under way; "
        "plans to go again next season.",
        done_on=min(follow_up.due_on + datetime.timedelta(days=3), calendar.today),
    )
    story.case = case
    story.returnee = returnee.job_seeker


def _returnee_account(story: Story) -> None:
    """Demo shortcut: the returnee gets a portal account (as if they had signed up with their
    mobile number), so the journey's far end can be followed on the portal too."""
    person = story.returnee
    user = User.objects.filter(email=RETURNEE).first()
    if user is None:
        user = User.objects.create_user(
            RETURNEE,
            DEMO_PASSWORD,
            full_name=f"{person.first_name} {person.last_name}",
            role=Role.JOB_SEEKER,
        )
    if person.user_id is None and not JobSeeker.objects.filter(user=user).exists():
        JobSeeker.objects.filter(pk=person.pk).update(user=user)
