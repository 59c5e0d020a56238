"""Vacancies through their services: saving a draft with its language requirements, the
lifecycle and who may move it, the rules that guard it (each refusal stores nothing), the
minimum wage and the agreement's quota."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gza.core.enums import OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.demand.enums import MinimumWageOutcome, VacancyStatus, WagePeriod
from gza.demand.models import VACANCY_LIFECYCLE, Vacancy, VacancyEvent, VacancyLanguage
from gza.demand.vacancies import (
    MOVERS,
    esco_skills_named,
    minimum_wage_check,
    vacancy_move,
    vacancy_moves_for,
    vacancy_save,
)
from gza.partners.enums import AgreementStatus, IndicatorKind
from gza.partners.models import AgreementQuota, CountryIndicator
from gza.taxonomy.models import EscoSkill
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import AgencyFactory, ForeignEmployerFactory
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db
VS = VacancyStatus
CEFR = "is not one of A1, A2, B1, B2, C1 or C2."


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def draft(**fields) -> Vacancy:
    """An unsaved vacancy within every rule: 20 fruit pickers for a verified Polish employer at
    32 PLN an hour, 40 hours a week, applications open for a month."""
    if "employer" not in fields and "agency" not in fields:
        fields["employer"] = ForeignEmployerFactory(verified=True, in_poland=True)
    values = {
        "country_id": "PL",
        "city": "Grójec",
        "occupation_id": "9211",
        "title_ka": "ხილის მკრეფი",
        "title_en": "Fruit picker",
        "positions": 20,
        "wage_amount": Decimal("32.00"),
        "wage_currency": "PLN",
        "wage_period": WagePeriod.HOUR,
        "hours_per_week": 40,
        "application_deadline": days(30),
        "start_date": days(60),
        **fields,
    }
    return Vacancy(**values)


def polish(level: str = "A2") -> list[VacancyLanguage]:
    return [VacancyLanguage(language_id="pl", min_level_id=level)]


def minimum_wage(country: str = "PL", value: str = "4666", **fields) -> CountryIndicator:
    values = {"unit": "per month", "currency": "PLN", "period": "2025", "source": "GUS (test)"}
    return CountryIndicator.objects.create(
        country_id=country,
        kind=IndicatorKind.MINIMUM_WAGE,
        value=Decimal(value),
        **{**values, **fields},
    )


def employer_user(employer=None):
    """An employer's workspace user with its own verified Polish employer record."""
    organisation = OrganisationFactory(kind=OrganisationKind.FOREIGN_EMPLOYER, country_id="PL")
    if employer is None:
        employer = ForeignEmployerFactory(verified=True, in_poland=True)
    employer.organisation = organisation
    employer.save()
    return UserFactory(role=Role.EMPLOYER, organisation=organisation)


def agency_user(agency=None):
    agency = agency or AgencyFactory(certified=True, with_organisation=True)
    return UserFactory(role=Role.AGENCY, organisation=agency.organisation)


def saved(actor=None, **fields) -> Vacancy:
    return vacancy_save(actor=actor or UserFactory(), vacancy=draft(**fields), languages=polish())


def walk(vacancy: Vacancy, *moves: str, actor=None) -> Vacancy:
    actor = actor or UserFactory()
    for move in moves:
        vacancy = vacancy_move(actor=actor, vacancy=vacancy, transition=move, reason="test")
    return vacancy


def nothing_stored() -> bool:
    return not (
        Vacancy.objects.exists()
        or VacancyLanguage.objects.exists()
        or VacancyEvent.objects.exists()
        or AuditEvent.objects.filter(target_type__model="vacancy").exists()
    )


def messages_of(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


# The lifecycle


def test_every_move_has_its_movers():
    assert set(MOVERS) == set(VACANCY_LIFECYCLE.transitions)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(sorted(VACANCY_LIFECYCLE.transitions)), max_size=12))
def test_moves_follow_the_lifecycle_table_and_each_leaves_a_log_row(names):
    ministry = UserFactory()
    vacancy = saved(ministry)
    expected = VS.DRAFT
    for name in names:
        allowed = {t.name for t in VACANCY_LIFECYCLE.allowed_from(expected)}
        try:
            vacancy = vacancy_move(actor=ministry, vacancy=vacancy, transition=name, reason="r")
        except DomainError as error:
            assert name not in allowed
            assert str(error.params["status"]) == str(VS(expected).label)
        else:
            assert name in allowed
            expected = VACANCY_LIFECYCLE.transitions[name].target
        vacancy.refresh_from_db()
        assert vacancy.status == expected
    events = list(vacancy.events.order_by("pk"))
    assert events[0].transition == "create" and events[0].to_status == VS.DRAFT
    for earlier, later in itertools.pairwise(events):
        assert later.from_status == earlier.to_status
    assert events[-1].to_status == expected


@pytest.mark.usefixtures("english")
def test_an_illegal_move_is_refused_naming_the_current_status():
    vacancy = saved()
    with pytest.raises(DomainError) as refused:
        vacancy_move(actor=UserFactory(), vacancy=vacancy, transition="publish")
    assert (
        str(refused.value)
        == "The vacancy is draft: the move “published” is not possible from here."
    )
    vacancy.refresh_from_db()
    assert vacancy.status == VS.DRAFT and vacancy.events.count() == 1


@pytest.mark.usefixtures("english")
def test_the_owner_submits_the_embassy_verifies_and_the_ministry_publishes():
    employer = ForeignEmployerFactory(verified=True)  # in France, the test embassy's country
    owner = employer_user(employer)
    embassy = UserFactory(embassy_officer=True)
    ministry = UserFactory()
    vacancy = vacancy_save(
        actor=owner,
        vacancy=draft(employer=None, country_id="FR", city="Angers", wage_currency="EUR"),
        languages=[VacancyLanguage(language_id="fr", min_level_id="A1")],
    )
    assert vacancy.employer == employer and vacancy.created_by == owner
    assert [t.name for t in vacancy_moves_for(owner, vacancy)] == ["submit", "cancel"]
    for who, move in [(embassy, "verify"), (ministry, "verify")]:
        with pytest.raises(DomainError):
            vacancy_move(actor=who, vacancy=vacancy, transition=move)
    walk(vacancy, "submit", actor=owner)
    for who in [owner, ministry]:
        with pytest.raises(DomainError, match="is submitted"):
            vacancy_move(actor=who, vacancy=vacancy, transition="publish")
    with pytest.raises(DomainError):
        vacancy_move(actor=owner, vacancy=vacancy, transition="verify")
    walk(vacancy, "verify", actor=embassy)
    with pytest.raises(DomainError):
        vacancy_move(actor=embassy, vacancy=vacancy, transition="publish")
    vacancy = walk(vacancy, "publish", actor=ministry)
    assert vacancy.status == VS.PUBLISHED
    log = [(e.transition, e.actor) for e in vacancy.events.order_by("pk")]
    assert log == [
        ("create", owner),
        ("submit", owner),
        ("verify", embassy),
        ("publish", ministry),
    ]
    audit = AuditEvent.objects.filter(target_id=str(vacancy.pk), payload__transition="publish")
    assert audit.get().payload["changes"] == {"status": ["verified", "published"]}
    # The owner closes and fills its vacancy; it may not reopen it.
    walk(vacancy, "close", actor=owner)
    with pytest.raises(DomainError):
        vacancy_move(actor=owner, vacancy=vacancy, transition="reopen")
    assert walk(vacancy, "fill", actor=owner).status == VS.FILLED


def test_people_outside_a_vacancys_scope_may_not_save_or_move_it():
    vacancy = saved()  # in Poland
    embassy = UserFactory(embassy_officer=True)  # the embassy in France
    for outsider in [
        embassy,
        employer_user(),  # another employer
        agency_user(),
        UserFactory(iom_caseworker=True),  # reads, never writes
        UserFactory(role=Role.ANALYST),
    ]:
        with pytest.raises(DomainError):
            vacancy_move(actor=outsider, vacancy=vacancy, transition="submit")
        vacancy.title_en = "Changed"
        with pytest.raises(DomainError):
            vacancy_save(actor=outsider, vacancy=vacancy, languages=[])
    vacancy.refresh_from_db()
    assert vacancy.title_en == "Fruit picker" and vacancy.status == VS.DRAFT
    # An embassy does not enter a vacancy in another country.
    with pytest.raises(DomainError):
        vacancy_save(actor=embassy, vacancy=draft(), languages=[])


def test_an_agency_keeps_its_own_job_orders_and_the_named_employer_may_only_read_them():
    agency = AgencyFactory(certified=True, with_organisation=True)
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    own = agency_user(agency)
    order = vacancy_save(actor=own, vacancy=draft(employer=employer), languages=[])
    assert order.agency == agency and order.employer == employer
    assert Vacancy.objects.editable_by(own).get() == order
    named = employer_user(employer)
    assert Vacancy.objects.visible_to(named).get() == order
    assert not Vacancy.objects.editable_by(named).exists()
    assert vacancy_moves_for(named, order) == []
    assert walk(order, "submit", actor=own).status == VS.SUBMITTED


def test_only_a_draft_is_edited_and_languages_are_replaced_with_it():
    ministry = UserFactory()
    vacancy = saved(ministry)
    vacancy.title_en = "Apple picker"
    vacancy_save(
        actor=ministry,
        vacancy=vacancy,
        languages=[VacancyLanguage(language_id="ru", min_level_id="B1")],
    )
    assert list(vacancy.languages.values_list("language", "min_level")) == [("ru", "B1")]
    change = AuditEvent.objects.filter(target_id=str(vacancy.pk), verb="updated").get()
    assert change.payload["changes"]["title_en"] == ["Fruit picker", "Apple picker"]
    assert change.payload["changes"]["languages"] == ["pl:A2", "ru:B1"]
    walk(vacancy, "submit")
    vacancy.title_en = "Late change"
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="only a draft can be edited"),
    ):
        vacancy_save(actor=ministry, vacancy=vacancy, languages=[])
    vacancy.refresh_from_db()
    assert vacancy.title_en == "Apple picker"


# Rules: each bad input gives its message and stores nothing


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("fields", "languages", "field", "message"),
    [
        ({"occupation_id": "9999"}, [], "occupation", "Unknown ISCO-08 code: 9999."),
        (
            {"occupation_id": "921"},
            [],
            "occupation",
            "ISCO-08 921 is a broader group: choose one of its 4-digit unit groups.",
        ),
        ({}, polish("D1"), "languages", f"The CEFR level D1 {CEFR}"),
        ({}, polish("A0"), "languages", f"The CEFR level A0 {CEFR}"),
        (
            {},
            polish() + polish("B1"),
            "languages",
            "Each language is required once: pl is named twice.",
        ),
        (
            {},
            [VacancyLanguage(language_id="xx", min_level_id="A1")],
            "languages",
            "Unknown language: xx.",
        ),
        ({"positions": 0}, [], "positions", "A vacancy offers at least one position."),
        ({"positions": -3}, [], "positions", "A vacancy offers at least one position."),
        (
            {"hours_per_week": None},
            [],
            "hours_per_week",
            "An hourly wage needs the hours per week.",
        ),
        (
            {"application_deadline": days(30), "start_date": days(20)},
            [],
            "start_date",
            f"The job cannot start ({days(20).isoformat()}) before applications close "
            f"({days(30).isoformat()}).",
        ),
        (
            {"wage_currency": "zł"},
            [],
            "wage_currency",
            "A currency is a three-letter ISO 4217 code, for example EUR or PLN.",
        ),
    ],
)
def test_a_bad_draft_is_refused_with_its_message_and_nothing_is_stored(
    fields, languages, field, message
):
    with pytest.raises(ValidationError) as refused:
        vacancy_save(actor=UserFactory(), vacancy=draft(**fields), languages=languages)
    assert message in messages_of(ValidationError(refused.value.error_dict[field]))
    assert nothing_stored()


@pytest.mark.usefixtures("english")
def test_an_agreement_with_another_country_is_refused():
    france = AgreementFactory(status=AgreementStatus.IN_FORCE)
    with pytest.raises(ValidationError) as refused:
        vacancy_save(actor=UserFactory(), vacancy=draft(agreement=france), languages=[])
    assert messages_of(refused.value) == [
        "The agreement is with France, not with the country of the vacancy."
    ]
    assert nothing_stored()


@pytest.mark.usefixtures("english")
def test_a_deadline_in_the_past_is_refused_at_submission_and_publication():
    ministry = UserFactory()
    vacancy = saved(ministry, application_deadline=days(-1))  # a draft may still carry it
    message = f"The application deadline ({days(-1).isoformat()}) has passed: set a later one."
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=vacancy, transition="submit")
    assert messages_of(refused.value) == [message]
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VS.VERIFIED)
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=vacancy, transition="publish")
    assert messages_of(refused.value) == [message]
    vacancy.refresh_from_db()
    assert vacancy.status == VS.VERIFIED and vacancy.events.count() == 1


@pytest.mark.usefixtures("english")
def test_a_vacancy_of_an_unverified_employer_or_an_uncertified_agency_is_not_published():
    ministry = UserFactory()
    pending = ForeignEmployerFactory(in_poland=True, name="Sady Nowe")
    vacancy = walk(saved(ministry, employer=pending), "submit", "verify")
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=vacancy, transition="publish")
    assert messages_of(refused.value) == [
        "The employer Sady Nowe is not verified (pending vetting): only a verified employer's "
        "vacancies are published."
    ]
    applying = AgencyFactory(name_en="New Way LLC")
    order = walk(saved(ministry, agency=applying), "submit", "verify")
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=order, transition="publish")
    assert messages_of(refused.value) == [
        "The agency New Way LLC is not certified (applied): only a certified agency's job "
        "orders are published."
    ]
    assert set(Vacancy.objects.values_list("status", flat=True)) == {VS.VERIFIED}


@pytest.mark.usefixtures("english")
def test_a_cancellation_needs_a_reason():
    vacancy = saved()
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=UserFactory(), vacancy=vacancy, transition="cancel", reason=" ")
    assert messages_of(refused.value) == ["Say why: this move needs a reason."]
    assert walk(vacancy, "cancel").status == VS.CANCELLED


# The minimum wage


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("wage", "period", "hours", "refused"),
    [
        ("4665.99", WagePeriod.MONTH, 40, True),
        ("4666.00", WagePeriod.MONTH, None, False),
        # 4,666 a month is 26.92 an hour at 40 hours a week (× 52 / 12).
        ("26.91", WagePeriod.HOUR, 40, True),
        ("26.92", WagePeriod.HOUR, 40, False),
        # ... and 22.44 an hour at 48 hours.
        ("22.44", WagePeriod.HOUR, 48, False),
    ],
)
def test_a_wage_below_the_monthly_minimum_is_refused(wage, period, hours, refused):
    minimum_wage(value="4666")
    vacancy = draft(wage_amount=Decimal(wage), wage_period=period, hours_per_week=hours)
    if not refused:
        vacancy_save(actor=UserFactory(), vacancy=vacancy, languages=[])
        assert minimum_wage_check(vacancy).outcome == MinimumWageOutcome.MEETS
        return
    with pytest.raises(ValidationError) as error:
        vacancy_save(actor=UserFactory(), vacancy=vacancy, languages=[])
    (message,) = messages_of(ValidationError(error.value.error_dict["wage_amount"]))
    assert (
        message.startswith("The wage, ") and "below the statutory minimum wage in Poland" in message
    )
    assert nothing_stored()


def test_an_hourly_minimum_is_compared_with_a_monthly_wage():
    minimum_wage(value="30.50", unit="per hour")
    # 30.50 an hour is 5,286.67 a month at 40 hours: exactly that is enough, a grosz less not.
    at_minimum = draft(wage_amount=Decimal("5286.67"), wage_period=WagePeriod.MONTH)
    check = minimum_wage_check(at_minimum)
    assert check.outcome == MinimumWageOutcome.MEETS and check.minimum == Decimal("5286.67")
    below = draft(wage_amount=Decimal("5286.66"), wage_period=WagePeriod.MONTH)
    assert minimum_wage_check(below).outcome == MinimumWageOutcome.BELOW
    assert minimum_wage_check(draft(wage_amount=Decimal("30.50"))).outcome == "meets"


def test_the_newest_minimum_wage_counts_and_a_raise_stops_submission():
    ministry = UserFactory()
    minimum_wage(value="4242", period="2024")
    vacancy = saved(ministry, wage_amount=Decimal("4300"), wage_period=WagePeriod.MONTH)
    minimum_wage(value="4666", period="2025", source="GUS 2025")
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="below the statutory minimum wage"),
    ):
        vacancy_move(actor=ministry, vacancy=vacancy, transition="submit")
    vacancy.refresh_from_db()
    assert vacancy.status == VS.DRAFT


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (
            {"currency": "EUR"},
            "The minimum wage is recorded in EUR and the wage is paid in PLN; Gza keeps no "
            "exchange rates.",
        ),
        ({"currency": ""}, "The minimum wage is recorded without a currency."),
        (
            {"unit": "per year"},
            "The minimum wage's unit (per year) is neither per hour nor per month.",
        ),
    ],
)
def test_a_wage_that_cannot_be_compared_is_accepted_with_a_warning(fields, reason):
    minimum_wage(value="9999", **fields)
    vacancy = saved(wage_amount=Decimal("1"), wage_period=WagePeriod.HOUR)
    check = minimum_wage_check(vacancy)
    assert check.outcome == MinimumWageOutcome.NOT_COMPARABLE and check.reason == reason
    assert walk(vacancy, "submit", "verify", "publish").status == VS.PUBLISHED
    audit = AuditEvent.objects.get(target_id=str(vacancy.pk), payload__transition="publish")
    assert audit.payload["minimum_wage"] == "not_comparable"


def test_no_recorded_minimum_wage_means_nothing_to_compare():
    assert minimum_wage_check(draft()).outcome == MinimumWageOutcome.NO_MINIMUM


# The quota


@pytest.fixture
def pilot():
    """A Polish pilot in force with, in the year the draft() vacancies start, 30 places for
    fruit pickers and 50 for every occupation."""
    agreement = AgreementFactory(
        partner=PartnerCountryFactory(country_id="PL"), status=AgreementStatus.IN_FORCE
    )
    year = days(60).year
    AgreementQuota.objects.create(agreement=agreement, year=year, occupation_id="9211", places=30)
    AgreementQuota.objects.create(agreement=agreement, year=year, places=50)
    return agreement


def test_published_closed_and_filled_vacancies_count_against_the_quota(pilot):
    year = days(60).year
    ministry = UserFactory()
    walk(saved(ministry, agreement=pilot, positions=10), "submit", "verify", "publish")
    walk(saved(ministry, agreement=pilot, positions=5), "submit", "verify", "publish", "close")
    walk(saved(ministry, agreement=pilot, positions=2), "submit", "verify", "publish", "fill")
    # Not counted: cancelled after publication, not yet published, another occupation's
    # count only in the every-occupation quota, another year, another agreement.
    cancelled = walk(saved(ministry, agreement=pilot, positions=7), "submit", "verify", "publish")
    walk(cancelled, "cancel")
    walk(saved(ministry, agreement=pilot, positions=3), "submit", "verify")
    walk(
        saved(ministry, agreement=pilot, positions=4, occupation_id="8160"),
        "submit",
        "verify",
        "publish",
    )
    next_year = {"start_date": days(60 + 366), "application_deadline": days(60 + 346)}
    walk(saved(ministry, agreement=pilot, positions=6, **next_year), "submit", "verify", "publish")
    walk(saved(ministry, positions=9), "submit", "verify", "publish")
    assert pilot.quota_offered(year=year, occupation_id="9211") == 17
    assert pilot.quota_offered(year=year) == 21
    assert {q.occupation_id: (q.places, q.offered) for q in pilot.quotas.all()} == {
        None: (50, 21),
        "9211": (30, 17),
    }


@pytest.mark.usefixtures("english")
def test_publishing_beyond_the_remaining_quota_is_refused_with_the_places_left(pilot):
    ministry = UserFactory()
    walk(saved(ministry, agreement=pilot, positions=25), "submit", "verify", "publish")
    too_many = walk(saved(ministry, agreement=pilot, positions=6), "submit", "verify")
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=too_many, transition="publish")
    assert messages_of(refused.value) == [
        f"Publishing 6 positions would exceed the {days(60).year} quota for "
        f"{too_many.occupation}: 5 places left."
    ]
    too_many.refresh_from_db()
    assert too_many.status == VS.VERIFIED
    assert walk(saved(ministry, agreement=pilot, positions=5), "submit", "verify", "publish")
    # Every occupation's quota: 50 places, 30 used by fruit pickers.
    builders = walk(
        saved(ministry, agreement=pilot, positions=21, occupation_id="7112"), "submit", "verify"
    )
    with pytest.raises(ValidationError, match="quota for all occupations: 20 places left"):
        vacancy_move(actor=ministry, vacancy=builders, transition="publish")


@pytest.mark.usefixtures("english")
def test_a_vacancy_under_quotas_needs_a_start_date_and_an_agreement_in_force(pilot):
    ministry = UserFactory()
    undated = walk(saved(ministry, agreement=pilot, start_date=None), "submit", "verify")
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=undated, transition="publish")
    assert messages_of(refused.value) == [
        "The agreement has quotas: give the start date, so the quota of its year counts the "
        "vacancy."
    ]
    vacancy = walk(saved(ministry, agreement=pilot), "submit", "verify")
    type(pilot).objects.filter(pk=pilot.pk).update(status=AgreementStatus.SUSPENDED)
    with pytest.raises(ValidationError) as refused:
        vacancy_move(actor=ministry, vacancy=vacancy, transition="publish")
    assert messages_of(refused.value) == [
        "The agreement is suspended: vacancies are published only under an agreement in force."
    ]


# ESCO skills


def test_skills_are_set_replaced_kept_and_audited():
    ministry = UserFactory()
    first, second = EscoSkill.objects.order_by("pk")[:2]
    vacancy = vacancy_save(
        actor=ministry, vacancy=draft(), languages=polish(), skills=[first, second]
    )
    assert set(vacancy.skills.all()) == {first, second}
    created = AuditEvent.objects.get(target_id=str(vacancy.pk), verb="created")
    assert created.payload["skills"] == "; ".join(sorted([first.uri, second.uri]))
    # Without `skills` (as every older caller), the skills stay.
    vacancy.title_en = "Apple picker"
    vacancy_save(actor=ministry, vacancy=vacancy, languages=polish())
    assert set(vacancy.skills.all()) == {first, second}
    change = AuditEvent.objects.filter(target_id=str(vacancy.pk), verb="updated").get()
    assert "skills" not in change.payload["changes"]
    vacancy_save(actor=ministry, vacancy=vacancy, languages=polish(), skills=[second])
    assert list(vacancy.skills.all()) == [second]
    change = (
        AuditEvent.objects.filter(target_id=str(vacancy.pk), verb="updated").order_by("pk").last()
    )
    assert change.payload["changes"]["skills"] == [
        "; ".join(sorted([first.uri, second.uri])),
        second.uri,
    ]
    vacancy_save(actor=ministry, vacancy=vacancy, languages=polish(), skills=[])
    assert not vacancy.skills.exists()


def test_an_unknown_skill_is_refused_and_nothing_is_stored():
    unknown = EscoSkill(uri="http://data.europa.eu/esco/skill/not-a-skill", label_en="Nothing")
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            vacancy_save(actor=UserFactory(), vacancy=draft(), languages=polish(), skills=[unknown])
        assert refused.value.message_dict["skills"] == [
            "Unknown ESCO skill: http://data.europa.eu/esco/skill/not-a-skill."
        ]
    assert nothing_stored()


def test_skills_are_named_by_uri_code_or_english_label():
    skill = EscoSkill.objects.order_by("pk").first()
    code = skill.uri.rsplit("/", 1)[-1]
    found, errors = esco_skills_named(
        [skill.uri, code.upper(), f"  {skill.label_en.upper()} ", "", "no such skill"]
    )
    assert found == [skill]
    with translation.override("en"):
        assert [message for error in errors for message in error.messages] == [
            "Unknown ESCO skill: no such skill."
        ]
    found, errors = esco_skills_named([skill.label_en], labels=False)
    assert found == [] and len(errors) == 1
