"""Demo demand: verified employers in Poland and France, employers waiting for vetting in Israel
and Lithuania, and licensed agencies with their annual reports (one late, one suspended, one
still applying).

Every company is invented: its name ends in "(demo)" / "(დემო)", its contacts use the reserved
`.example` domain, and every demo report says in its notes that its figures are illustrative.
Report years follow today's date, so "late" and "missing" stay true whenever the demo is loaded.
Idempotent: employers are keyed by country and registration number, agencies by registry number,
reports by agency and year; what exists is left as it is."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gza.core.enums import OrganisationKind, Role
from gza.core.models import Organisation, User
from gza.demand.enums import CertificationStatus, NaceSection, VettingStatus
from gza.demand.models import (
    FIRST_REPORT_YEAR,
    Agency,
    AgencyReport,
    AgencyReportLine,
    AgencyStatusEvent,
    EmployerVettingEvent,
    ForeignEmployer,
    last_due_year,
)
from gza.registry.enums import Sex

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
    return employers, agencies
