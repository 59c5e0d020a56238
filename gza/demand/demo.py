"""Demo demand: verified employers in Poland and France, employers waiting for vetting in Israel
and Lithuania, and licensed agencies with their annual reports (one late, one suspended, one
still applying).

Every company is invented: its name ends in "(demo)" / "(დემო)", its contacts use the reserved
`.example` domain, and every demo report says in its notes that its figures are illustrative.
Report years follow today's date, so "late" and "missing" stay true whenever the demo is loaded.
Idempotent: employers are keyed by country and registration number, agencies by registry number,
reports by agency and year; what exists is left as it is."""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from gza.core.enums import OrganisationKind, Role
from gza.core.models import Organisation, User
from gza.demand.enums import (
    CertificationStatus,
    NaceSection,
    VacancyStatus,
    VettingStatus,
    WagePeriod,
)
from gza.demand.models import (
    FIRST_REPORT_YEAR,
    Agency,
    AgencyReport,
    AgencyReportLine,
    AgencyStatusEvent,
    EmployerVettingEvent,
    ForeignEmployer,
    InDemandLanguage,
    InDemandOccupation,
    LabourMarketStudy,
    Vacancy,
    VacancyEvent,
    VacancyLanguage,
    last_due_year,
)
from gza.partners.enums import IndicatorKind
from gza.partners.models import Agreement, CountryIndicator
from gza.registry.enums import Sex
from gza.registry.models import JobSeeker, LanguageSkill, SoughtOccupation

D = datetime.date
DEMO_NOTE = "დემო: საილუსტრაციო ციფრები, არა რეალური ანგარიში. / Demo: illustrative figures."
VERIFIED_NOTE = "საელჩომ გადაამოწმა კომპანიის რეგისტრაცია, საცხოვრებელი და სამუშაო პირობები."


@dataclass(frozen=True)
class DemoEmployer:
    country: str
    name: str
    city: str
    address: str
    sector: str
    registration_number: str
    contact_person: str
    contact_email: str
    registered_on: datetime.date
    verified_on: datetime.date | None  # None: still waiting for vetting
    own_organisation: bool = False  # the demo employer's account belongs to it


EMPLOYERS = [
    DemoEmployer(
        "FR",
        "Val de Loire Farming Cooperative (demo)",
        "Angers",
        "12 rue des Vergers, 49000 Angers",
        NaceSection.A,
        "900000001",
        "Claire Martin",
        "recrutement@valdeloire-coop.example",
        D(2024, 1, 15),
        D(2024, 2, 20),
        own_organisation=True,
    ),
    DemoEmployer(
        "PL",
        "Sady Grójeckie sp. z o.o. (demo)",
        "Grójec",
        "ul. Sadowa 12, 05-600 Grójec",
        NaceSection.A,
        "0000900001",
        "Anna Kowalska",
        "rekrutacja@sady-grojeckie.example",
        D(2024, 3, 4),
        D(2024, 3, 28),
    ),
    DemoEmployer(
        "PL",
        "Przetwórnia Owoców Mazowsze S.A. (demo)",
        "Warka",
        "ul. Przemysłowa 3, 05-660 Warka",
        NaceSection.C,
        "0000900002",
        "Piotr Nowak",
        "kadry@przetwornia-mazowsze.example",
        D(2024, 3, 4),
        D(2024, 4, 9),
    ),
    DemoEmployer(
        "PL",
        "Budowy Pomorze sp. z o.o. (demo)",
        "Gdańsk",
        "ul. Portowa 40, 80-001 Gdańsk",
        NaceSection.F,
        "0000900003",
        "Katarzyna Wiśniewska",
        "praca@budowy-pomorze.example",
        D(2025, 2, 10),
        D(2025, 3, 3),
    ),
    DemoEmployer(
        "IL",
        "Emek Greenhouses Ltd (demo)",
        "Afula",
        "Industrial Zone, Afula",
        NaceSection.A,
        "516000001",
        "Yael Cohen",
        "jobs@emek-greenhouses.example",
        D(2026, 9, 21),
        None,
    ),
    DemoEmployer(
        "LT",
        "Baltic Timber Works UAB (demo)",
        "Kaunas",
        "Pramonės pr. 8, 51329 Kaunas",
        NaceSection.C,
        "300000001",
        "Tomas Kazlauskas",
        "hr@baltic-timber.example",
        D(2026, 10, 5),
        None,
    ),
]


@dataclass(frozen=True)
class DemoAgency:
    name_ka: str
    name_en: str
    registry_number: str
    applied_on: datetime.date
    certified_on: datetime.date | None
    # How it keeps its reports: "on_time", "late" (the last-but-one year late, the last missing)
    # or "none" (still applying).
    reporting: str
    suspended: tuple[datetime.date, str] | None = None
    own_organisation: bool = False  # the demo agency's account belongs to it
    complaints: int = 0


AGENCIES = [
    DemoAgency(
        "შპს „სამართლიანი გზა“ — დასაქმების სააგენტო (დემო)",
        "Fair Way Employment Agency LLC (demo)",
        "405900001",
        D(2023, 9, 4),
        D(2023, 10, 2),
        "on_time",
        own_organisation=True,
    ),
    DemoAgency(
        "შპს „ქართლის კადრები“ (დემო)",
        "Kartli Staffing LLC (demo)",
        "405900002",
        D(2023, 9, 18),
        D(2023, 11, 15),
        "late",
        complaints=1,
    ),
    DemoAgency(
        "შპს „ზღვისპირა დასაქმება“ (დემო)",
        "Seaside Employment LLC (demo)",
        "405900003",
        D(2023, 10, 9),
        D(2023, 12, 1),
        "on_time",
        suspended=(
            D(2025, 6, 10),
            "დასაქმებულებისგან ორი საჩივარი: სააგენტომ მომსახურების საფასური "
            "დასაქმებულებს გადაახდევინა, რაც კანონით აკრძალულია.",
        ),
        complaints=3,
    ),
    DemoAgency(
        "შპს „კავკასიური სეზონური სამუშაო“ (დემო)",
        "Caucasus Seasonal Work LLC (demo)",
        "405900004",
        D(2026, 9, 14),
        None,
        "none",
    ),
]

# Placements by country, ISCO-08 unit group and sex in a demo report's first year; later years
# add a little. Illustrative figures.
PLACEMENTS = [
    ("PL", "9211", Sex.FEMALE, 14),
    ("PL", "9211", Sex.MALE, 22),
    ("PL", "8160", Sex.FEMALE, 9),
    ("PL", "8160", Sex.MALE, 5),
    ("FR", "9211", Sex.MALE, 7),
    ("DE", "5120", Sex.MALE, 3),
]


def _employers(ministry: User | None, embassy: User | None) -> int:
    added = 0
    own = Organisation.objects.filter(
        kind=OrganisationKind.FOREIGN_EMPLOYER, name_en=EMPLOYERS[0].name
    ).first()
    for row in EMPLOYERS:
        status = VettingStatus.VERIFIED if row.verified_on else VettingStatus.PENDING
        employer, created = ForeignEmployer.objects.get_or_create(
            country_id=row.country,
            registration_number=row.registration_number,
            defaults={
                "name": row.name,
                "city": row.city,
                "address": row.address,
                "nace_section": row.sector,
                "contact_person": row.contact_person,
                "contact_email": row.contact_email,
                "organisation": own if row.own_organisation else None,
                "vetting_status": status,
                "status_since": row.verified_on or row.registered_on,
                "created_by": ministry,
            },
        )
        if not created:
            continue
        added += 1
        EmployerVettingEvent.objects.create(
            employer=employer,
            transition="register",
            to_status=VettingStatus.PENDING,
            occurred_on=row.registered_on,
            actor=ministry,
        )
        if row.verified_on:
            # The demo embassy officer works in France; Poland's employers the ministry vetted.
            EmployerVettingEvent.objects.create(
                employer=employer,
                transition="verify",
                from_status=VettingStatus.PENDING,
                to_status=VettingStatus.VERIFIED,
                occurred_on=row.verified_on,
                reason=VERIFIED_NOTE,
                actor=embassy if row.country == "FR" and embassy else ministry,
            )
    return added


def _submitted(year: int, late: bool) -> datetime.datetime:
    day = D(year + 1, 5, 20) if late else D(year + 1, 3, 10)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))


def _reports(agency: Agency, row: DemoAgency, filer: User | None, today: datetime.date) -> None:
    if row.certified_on is None:
        return
    years = list(range(max(FIRST_REPORT_YEAR, row.certified_on.year), last_due_year(today) + 1))
    if row.reporting == "late":
        filed = [(year, year == years[-2]) for year in years[:-1]] if len(years) > 1 else []
    else:
        filed = [(year, False) for year in years]
    last_filed = filed[-1][0] if filed else None
    for year, late in filed:
        report, created = AgencyReport.objects.get_or_create(
            agency=agency,
            year=year,
            defaults={
                "submitted_at": _submitted(year, late),
                "submitted_by": filer,
                "complaints_received": row.complaints if year == last_filed else 0,
                "notes": DEMO_NOTE,
            },
        )
        if created:
            growth = year - FIRST_REPORT_YEAR
            AgencyReportLine.objects.bulk_create(
                AgencyReportLine(
                    report=report,
                    country_id=country,
                    occupation_id=occupation,
                    sex=sex,
                    placements=placements + growth * 2,
                )
                for country, occupation, sex, placements in PLACEMENTS
            )


def _agencies(ministry: User | None, today: datetime.date) -> int:
    added = 0
    own = Organisation.objects.filter(
        kind=OrganisationKind.PRIVATE_AGENCY, name_en=AGENCIES[0].name_en
    ).first()
    filer = User.objects.filter(role=Role.AGENCY, organisation=own).first() if own else None
    for row in AGENCIES:
        status = CertificationStatus.CERTIFIED if row.certified_on else CertificationStatus.APPLIED
        if row.suspended:
            status = CertificationStatus.SUSPENDED
        agency, created = Agency.objects.get_or_create(
            registry_number=row.registry_number,
            defaults={
                "name_ka": row.name_ka,
                "name_en": row.name_en,
                "organisation": own if row.own_organisation else None,
                "status": status,
                "status_since": (row.suspended[0] if row.suspended else None)
                or row.certified_on
                or row.applied_on,
                "certified_on": row.certified_on,
                "contact_email": f"info@{row.registry_number}.example",
            },
        )
        if created:
            added += 1
            moves = [("apply", "", CertificationStatus.APPLIED, row.applied_on, "")]
            if row.certified_on:
                moves.append(
                    (
                        "certify",
                        CertificationStatus.APPLIED,
                        CertificationStatus.CERTIFIED,
                        row.certified_on,
                        "",
                    )
                )
            if row.suspended:
                moves.append(
                    (
                        "suspend",
                        CertificationStatus.CERTIFIED,
                        CertificationStatus.SUSPENDED,
                        *row.suspended,
                    )
                )
            for transition, before, after, day, reason in moves:
                AgencyStatusEvent.objects.create(
                    agency=agency,
                    transition=transition,
                    from_status=before,
                    to_status=after,
                    occurred_on=day,
                    reason=reason,
                    actor=ministry,
                )
        _reports(agency, row, filer if row.own_organisation else None, today)
    return added


def demand_demo_load() -> tuple[int, int]:
    """Create the demo employers and agencies; returns how many of each were added."""
    ministry = User.objects.filter(role=Role.MINISTRY_OFFICER).order_by("pk").first()
    embassy = (
        User.objects.filter(role=Role.EMBASSY_OFFICER, organisation__country_id="FR")
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    with transaction.atomic():
        employers = _employers(ministry, embassy)
        agencies = _agencies(ministry, today)
        _vacancies(ministry, embassy, today)
        _studies(ministry)
    return employers, agencies


# Vacancies -------------------------------------------------------------------------------------
# Published vacancies of the verified Polish employers under the Poland pilot and of the French
# employer under the France agreement, one draft and one agency job order waiting for
# verification. Wages are illustrative; dates follow today, so published ones stay open.
# Idempotent: keyed by owner and external reference.

VACANCY_NOTE_KA = "დემო ვაკანსია: პირობები საილუსტრაციოა."
VACANCY_NOTE_EN = "Demo vacancy: the terms are illustrative."
POLAND_PILOT = "Circular-migration pilot with IOM"
FRANCE_AGREEMENT = "Agreement on the residence of qualified specialists and circular migration"
# Statutory minimum wages, recorded only where a country has none: demo values, marked so.
MINIMUM_WAGES = [
    (
        "PL",
        Decimal("4666"),
        "PLN",
        "2025",
        "Demo value, check before use: Poland's minimum monthly wage from 1 January 2025 "
        "(Council of Ministers regulation) / დემო მნიშვნელობა",
    ),
    (
        "FR",
        Decimal("1801.80"),
        "EUR",
        "2025",
        "Demo value, check before use: France's SMIC, gross monthly for 35 hours a week, "
        "from 1 November 2024 / დემო მნიშვნელობა",
    ),
]


@dataclass(frozen=True)
class DemoVacancy:
    ref: str
    employer: tuple[str, str]  # country and registration number of a demo employer
    agreement: str  # the agreement's English title
    occupation: str
    title_ka: str
    title_en: str
    city: str
    positions: int
    wage: Decimal
    period: str
    hours: int
    months: int
    status: str
    languages: tuple[tuple[str, str], ...] = ()
    deadline_in: int = 40  # days from today
    experience_years: int = 0
    driving_licences: str = ""
    agency: str = ""  # registry number of the demo agency that placed the order


HOURLY, MONTHLY = WagePeriod.HOUR, WagePeriod.MONTH
SADY, PRZETWORNIA, BUDOWY = ("PL", "0000900001"), ("PL", "0000900002"), ("PL", "0000900003")
VAL_DE_LOIRE = ("FR", "900000001")
VACANCIES = [
    DemoVacancy("DEMO-PL-01", SADY, POLAND_PILOT, "9211", "ვაშლის მკრეფავი", "Apple picker",
                "Grójec", 40, Decimal("32.00"), HOURLY, 40, 4, VacancyStatus.PUBLISHED,
                (("ru", "A2"),), deadline_in=30),
    DemoVacancy("DEMO-PL-02", SADY, POLAND_PILOT, "6111", "მებოსტნე სათბურში",
                "Greenhouse vegetable grower", "Grójec", 12, Decimal("5200.00"), MONTHLY, 40, 6,
                VacancyStatus.PUBLISHED, (("ru", "A2"),), deadline_in=45, experience_years=1),
    DemoVacancy("DEMO-PL-03", PRZETWORNIA, POLAND_PILOT, "7511", "ხორცის დამმუშავებელი",
                "Meat processing worker", "Warka", 10, Decimal("5400.00"), MONTHLY, 40, 12,
                VacancyStatus.PUBLISHED, (("ru", "A2"), ("pl", "A1")), deadline_in=50),
    DemoVacancy("DEMO-PL-04", PRZETWORNIA, POLAND_PILOT, "8160",
                "კვების პროდუქტების საწარმოო ხაზის ოპერატორი", "Food production line operator",
                "Warka", 8, Decimal("34.00"), HOURLY, 40, 12, VacancyStatus.PUBLISHED,
                (("ru", "B1"),), deadline_in=35),
    DemoVacancy("DEMO-PL-05", BUDOWY, POLAND_PILOT, "7112", "კალატოზი", "Bricklayer", "Gdańsk",
                6, Decimal("7000.00"), MONTHLY, 40, 9, VacancyStatus.PUBLISHED, (("ru", "A2"),),
                deadline_in=60, experience_years=2),
    DemoVacancy("DEMO-PL-06", BUDOWY, POLAND_PILOT, "7115", "დურგალი (ყალიბები)",
                "Formwork carpenter", "Gdańsk", 6, Decimal("6800.00"), MONTHLY, 40, 9,
                VacancyStatus.PUBLISHED, (("ru", "A2"),), deadline_in=60, experience_years=2),
    DemoVacancy("DEMO-FR-01", VAL_DE_LOIRE, FRANCE_AGREEMENT, "6112", "ვენახის მუშა (გასხვლა)",
                "Vineyard worker (pruning)", "Angers", 15, Decimal("12.50"), HOURLY, 35, 5,
                VacancyStatus.PUBLISHED, (("fr", "A1"),), deadline_in=40),
    DemoVacancy("DEMO-FR-02", VAL_DE_LOIRE, FRANCE_AGREEMENT, "9211", "ვაშლის მკრეფავი",
                "Apple picker", "Angers", 25, Decimal("12.00"), HOURLY, 35, 3,
                VacancyStatus.PUBLISHED, (("fr", "A1"),), deadline_in=55),
    DemoVacancy("DEMO-FR-03", VAL_DE_LOIRE, FRANCE_AGREEMENT, "8341", "ტრაქტორის მძღოლი",
                "Tractor driver", "Angers", 2, Decimal("2100.00"), MONTHLY, 35, 8, VacancyStatus.DRAFT,
                (("fr", "A2"),), deadline_in=70, driving_licences="B"),
    DemoVacancy("DEMO-PL-07", PRZETWORNIA, POLAND_PILOT, "9321", "ხელით შემფუთავი",
                "Hand packer", "Warka", 20, Decimal("31.50"), HOURLY, 40, 6, VacancyStatus.SUBMITTED,
                (("ru", "A2"),), deadline_in=50, agency="405900001"),
]  # fmt: skip
# The moves a demo vacancy has been through to reach its status, with how many days ago.
HISTORY = {
    VacancyStatus.DRAFT: [("create", "", VacancyStatus.DRAFT, 3)],
    VacancyStatus.SUBMITTED: [
        ("create", "", VacancyStatus.DRAFT, 6),
        ("submit", VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, 2),
    ],
    VacancyStatus.PUBLISHED: [
        ("create", "", VacancyStatus.DRAFT, 21),
        ("submit", VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, 19),
        ("verify", VacancyStatus.SUBMITTED, VacancyStatus.VERIFIED, 15),
        ("publish", VacancyStatus.VERIFIED, VacancyStatus.PUBLISHED, 12),
    ],
}


def _minimum_wages() -> None:
    for country, value, currency, period, source in MINIMUM_WAGES:
        if CountryIndicator.objects.filter(country_id=country, kind=IndicatorKind.MINIMUM_WAGE):
            continue
        CountryIndicator.objects.create(
            country_id=country,
            kind=IndicatorKind.MINIMUM_WAGE,
            value=value,
            unit="per month",
            currency=currency,
            period=period,
            source=source,
        )


def _vacancies(ministry: User | None, embassy: User | None, today: datetime.date) -> int:
    """Create the demo vacancies with their history; returns how many were added."""
    _minimum_wages()
    added = 0
    for row in VACANCIES:
        employer = ForeignEmployer.objects.filter(
            country_id=row.employer[0], registration_number=row.employer[1]
        ).first()
        agency = Agency.objects.filter(registry_number=row.agency).first() if row.agency else None
        if employer is None or (row.agency and agency is None):
            continue
        owner = {"agency": agency} if agency else {"employer": employer, "agency": None}
        if Vacancy.objects.filter(external_ref=row.ref, **owner).exists():
            continue
        history = HISTORY[row.status]
        deadline = today + datetime.timedelta(days=row.deadline_in)
        vacancy = Vacancy(
            employer=employer,
            agency=agency,
            country_id=employer.country_id,
            city=row.city,
            agreement=Agreement.objects.filter(title_en=row.agreement).first(),
            occupation_id=row.occupation,
            title_ka=row.title_ka,
            title_en=row.title_en,
            description_ka=VACANCY_NOTE_KA,
            description_en=VACANCY_NOTE_EN,
            positions=row.positions,
            wage_amount=row.wage,
            wage_currency="PLN" if employer.country_id == "PL" else "EUR",
            wage_period=row.period,
            hours_per_week=row.hours,
            contract_months=row.months,
            start_date=deadline + datetime.timedelta(days=30),
            application_deadline=deadline,
            housing_provided=True,
            travel_provided=employer.country_id == "FR",
            insurance_provided=True,
            experience_years=row.experience_years,
            driving_licences=row.driving_licences,
            status=row.status,
            status_since=today - datetime.timedelta(days=history[-1][3]),
            external_ref=row.ref,
            created_by=ministry,
        )
        vacancy.full_clean()
        vacancy.save()
        VacancyLanguage.objects.bulk_create(
            VacancyLanguage(vacancy=vacancy, language_id=language, min_level_id=level)
            for language, level in row.languages
        )
        for transition, before, after, days_ago in history:
            # The embassy in France verified the French vacancies; the ministry the rest.
            by_embassy = transition == "verify" and employer.country_id == "FR" and embassy
            VacancyEvent.objects.create(
                vacancy=vacancy,
                transition=transition,
                from_status=before,
                to_status=after,
                occurred_on=today - datetime.timedelta(days=days_ago),
                actor=embassy if by_embassy else ministry,
            )
        added += 1
    return added


# Labour-market study --------------------------------------------------------------------------
# The Poland pilot's study (IOM with the ministry, 2018-2019) and its in-demand occupations, and
# the start of the demo job seekers' profiles (occupations sought, languages), so the study's
# supply-gap table has something to weigh: some occupations well supplied, some with a large gap.
# Figures and wages are illustrative (2019 levels; Poland's minimum wage was 2,250 PLN a month,
# 14.70 PLN an hour). Idempotent: the study is keyed by country and English title, its
# occupations by external reference, and people who already have a profile are left as they are.

STUDY_TITLE_EN = "Labour demand in Poland for the circular-migration pilot (demo)"
STUDY_FINDINGS_KA = (
    "პოლონეთის სოფლის მეურნეობას, კვების მრეწველობასა და მშენებლობას სეზონური და "
    "ცირკულარული მუშახელი ესაჭიროება. ხილის მკრეფავებსა და დამხმარე მუშებზე მოთხოვნას "
    "საქართველოს რეესტრი სრულად ფარავს; შემდუღებლებზე, მძღოლებზე, მცხობლებსა და "
    "დურგლებზე კი მიწოდება მცირეა, ხშირად — პოლონური ან ინგლისური ენის ცოდნის გამო. "
    "რეკომენდაცია: პოლონური ენის საბაზისო კურსები და პროფესიული გადამზადება შედუღებასა "
    "და სატვირთო ავტომობილის მართვაში."
)
STUDY_FINDINGS_EN = (
    "Polish agriculture, food processing and construction need seasonal and circular workers. "
    "Georgia's registry covers the demand for fruit pickers and labourers in full; for welders, "
    "drivers, bakers and carpenters supply is short, often for want of Polish or English. "
    "Recommended: basic Polish courses and vocational training in welding and heavy-truck "
    "driving."
)
STUDY_SOURCES = (
    "დამსაქმებელთა გამოკითხვა მაზოვიის, ლოძისა და პომერანიის სავოევოდოებში; პოლონეთის "
    "სტატისტიკის მთავარი სამმართველოს (GUS) სამუშაო ძალაზე მოთხოვნის კვლევა; პოლონეთის "
    "დასაქმების სამსახურების პროფესიული ბარომეტრი (Barometr zawodów).\n"
    "Employer survey in the Masovian, Łódź and Pomeranian voivodeships; Statistics Poland (GUS) "
    "labour-demand survey; the Polish labour offices' occupational barometer "
    "(Barometr zawodów).\n" + DEMO_NOTE
)
STUDY_METHOD = "დამსაქმებელთა გამოკითხვა და სამაგიდო კვლევა. / Employer survey and desk research."


@dataclass(frozen=True)
class DemoInDemand:
    occupation: str
    demand: int
    wage: tuple[Decimal, Decimal]
    period: str
    languages: tuple[tuple[str, str], ...]
    qualifications: str = ""
    licences: str = ""


IN_DEMAND = [
    DemoInDemand("9211", 250, (Decimal("14.70"), Decimal("17.00")), WagePeriod.HOUR, (),
                 "ღია ცის ქვეშ სეზონური შრომისთვის ვარგისი ჯანმრთელობა. / Fit for outdoor seasonal "
                 "work."),
    DemoInDemand("6111", 60, (Decimal("2800"), Decimal("3500")), WagePeriod.MONTH, (("ru", "A2"),),
                 "ბოსტნეულის მოყვანის გამოცდილება, სათბურში მუშაობა უპირატესობაა. / Experience in "
                 "vegetable growing; greenhouse work an advantage."),
    DemoInDemand("8160", 120, (Decimal("15.00"), Decimal("18.50")), WagePeriod.HOUR, (("pl", "A1"),),
                 "ქარხანაში მუშაობის გამოცდილება. / Factory experience.",
                 "სანიტარიული წიგნაკი (sanepid). / Health certificate for food handling (sanepid)."),
    DemoInDemand("9329", 150, (Decimal("14.70"), Decimal("16.50")), WagePeriod.HOUR, (("ru", "A1"),)),
    DemoInDemand("7512", 40, (Decimal("3000"), Decimal("3800")), WagePeriod.MONTH, (("pl", "A2"),),
                 "პროფესიული კვალიფიკაცია ან მცხობლად მუშაობის ორწლიანი გამოცდილება. / Vocational "
                 "qualification or two years' experience as a baker.",
                 "სანიტარიული წიგნაკი (sanepid). / Health certificate for food handling (sanepid)."),
    DemoInDemand("7115", 70, (Decimal("3500"), Decimal("5000")), WagePeriod.MONTH, (("pl", "A2"),),
                 "ყალიბებზე ან სადურგლო საქმეში ორწლიანი გამოცდილება. / Two years' experience in "
                 "formwork or joinery."),
    DemoInDemand("7212", 90, (Decimal("4000"), Decimal("6000")), WagePeriod.MONTH, (("ru", "A2"),),
                 "MIG/MAG ან TIG შედუღება, პრაქტიკული ტესტით. / MIG/MAG or TIG welding, proven in "
                 "a practical test.",
                 "შემდუღებლის სერტიფიკატი EN ISO 9606-1. / Welder's certificate to EN ISO 9606-1."),
    DemoInDemand("5120", 35, (Decimal("3200"), Decimal("4200")), WagePeriod.MONTH, (("en", "B1"),),
                 "რესტორნის სამზარეულოში სამწლიანი გამოცდილება. / Three years' experience in a "
                 "restaurant kitchen.",
                 "სანიტარიული წიგნაკი (sanepid). / Health certificate for food handling (sanepid)."),
    DemoInDemand("8332", 80, (Decimal("5000"), Decimal("7500")), WagePeriod.MONTH, (("ru", "B1"),),
                 "საერთაშორისო გადაზიდვებში ორწლიანი გამოცდილება. / Two years' experience in "
                 "international haulage.",
                 "მართვის მოწმობა C+E, კოდი 95, მძღოლის ტახოგრაფის ბარათი. / Driving licence C+E with "
                 "the code 95 qualification; driver's tachograph card."),
]  # fmt: skip

# Who seeks what among the demo job seekers: ISCO unit groups with their weights. Beside the
# study's occupations, others people commonly seek, so the registry is not made to fit the study.
SOUGHT = [
    ("9211", 80), ("9329", 80), ("6111", 20), ("8160", 30), ("7512", 15), ("7115", 20),
    ("7212", 8), ("5120", 25), ("8332", 40), ("5131", 40), ("9112", 40), ("5322", 35),
    ("7411", 20), ("8322", 45), ("9313", 40), ("5223", 30), ("6121", 20),
]  # fmt: skip
# Farming regions send more people to the fields.
FARMING_REGIONS = {"GE-KA", "GE-SK", "GE-IM", "GE-GU", "GE-SZ", "GE-RL"}
FARMING = {"9211", "6111", "6121"}
LEVELS = ["A1", "A2", "B1", "B2", "C1"]
AGE_ON = D(2026, 1, 1)  # the day the core demo's synthetic birth dates count from


def _study(ministry: User | None) -> LabourMarketStudy:
    study, created = LabourMarketStudy.objects.get_or_create(
        country_id="PL",
        title_en=STUDY_TITLE_EN,
        defaults={
            "title_ka": "შრომაზე მოთხოვნა პოლონეთში ცირკულარული მიგრაციის საპილოტე პროექტისთვის "
            "(დემო)",
            "period_start": D(2018, 3, 1),
            "period_end": D(2019, 2, 28),
            "method": STUDY_METHOD,
            "sources": STUDY_SOURCES,
            "findings_ka": STUDY_FINDINGS_KA,
            "findings_en": STUDY_FINDINGS_EN,
            "author_organisation": Organisation.objects.filter(
                kind=OrganisationKind.IOM_NGO, short_name="IOM", parent__isnull=True
            ).first(),
            "created_by": ministry,
        },
    )
    for number, row in enumerate(IN_DEMAND, start=1):
        in_demand, created = InDemandOccupation.objects.get_or_create(
            study=study,
            external_ref=f"PL-2019-{number:02d}",
            defaults={
                "occupation_id": row.occupation,
                "estimated_demand": row.demand,
                "wage_min": row.wage[0],
                "wage_max": row.wage[1],
                "wage_currency": "PLN",
                "wage_period": row.period,
                "qualifications": row.qualifications,
                "licences": row.licences,
            },
        )
        if created:
            InDemandLanguage.objects.bulk_create(
                InDemandLanguage(in_demand=in_demand, language_id=language, min_level_id=level)
                for language, level in row.languages
            )
    return study


def _level(rng: random.Random, low: int, high: int) -> str:
    return LEVELS[rng.randint(low, high)]


def _supply_profiles() -> int:
    """Occupations sought and languages for the demo job seekers who have no profile yet;
    returns how many people were given one. Each person's draw is seeded by their personal
    number, so a second run, or a registry of another size, gives everyone the same profile."""
    has_profile = Exists(SoughtOccupation.objects.filter(job_seeker=OuterRef("pk"))) | Exists(
        LanguageSkill.objects.filter(job_seeker=OuterRef("pk"))
    )
    people = (
        JobSeeker.objects.exclude(has_profile)
        .select_related("municipality")
        .only("pk", "personal_number", "birth_date", "municipality__region_id")
        .order_by("pk")
    )
    codes = [code for code, _weight in SOUGHT]
    sought, skills, profiled = [], [], 0
    for person in people.iterator(chunk_size=2000):
        rng = random.Random(f"gza-demo-profile-{person.personal_number}")
        age = (AGE_ON - person.birth_date).days // 365
        farming = person.municipality.region_id in FARMING_REGIONS
        chosen: set[str] = set()
        # A quarter have not said yet what work they seek.
        for _ in range(0 if rng.random() < 0.25 else (2 if rng.random() < 0.3 else 1)):
            bias = [w * (2 if farming and c in FARMING else 1) for c, w in SOUGHT]
            chosen.add(rng.choices(codes, weights=bias)[0])
        sought += [
            SoughtOccupation(
                job_seeker=person,
                occupation_id=code,
                years_experience=min(rng.randint(0, 15), max(0, age - 18)),
            )
            for code in sorted(chosen)
        ]
        # Russian is common among Georgians who went to school before 1991, English among the
        # young; Polish mostly among those who have worked in Poland before.
        languages = {}
        if rng.random() < (0.8 if age >= 45 else 0.35):
            languages["ru"] = _level(rng, 0, 4 if age >= 45 else 2)
        if rng.random() < (0.15 if age >= 45 else 0.5):
            languages["en"] = _level(rng, 0, 3)
        if rng.random() < 0.1:
            languages["pl"] = _level(rng, 0, 2)
        skills += [
            LanguageSkill(job_seeker=person, language_id=code, level_id=level)
            for code, level in sorted(languages.items())
        ]
        profiled += bool(chosen or languages)
    SoughtOccupation.objects.bulk_create(sought, batch_size=1000, ignore_conflicts=True)
    LanguageSkill.objects.bulk_create(skills, batch_size=1000, ignore_conflicts=True)
    return profiled


def _studies(ministry: User | None) -> None:
    _study(ministry)
    _supply_profiles()
