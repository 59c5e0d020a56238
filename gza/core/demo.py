"""Demo data: the institutions of Gza's founding documents, one user per role, and synthetic
job seekers with Georgian names from Faker. Never real people. Idempotent: everything is keyed
(organisations by kind and name, users by e-mail, people by a seeded personal number), so a
second run adds nothing."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from gza.core.enums import OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.text import romanise, title_case_name
from gza.registry.consent import ensure_consent_texts
from gza.registry.duplicates import record_candidates
from gza.registry.enums import ConsentPurpose, Sex
from gza.registry.models import Consent, ConsentText, JobSeeker, luhn_digit
from gza.registry.name_index import index_names
from gza.taxonomy.models import Municipality

DEMO_PASSWORD = "gza-demo-2026"  # noqa: S105 - demo accounts only; refused in production
SEED = 2026

MINISTRY = (
    "საქართველოს ოკუპირებული ტერიტორიებიდან დევნილთა, შრომის, ჯანმრთელობისა და სოციალური "
    "დაცვის სამინისტრო",
    "Ministry of Internally Displaced Persons from the Occupied Territories, Labour, Health and "
    "Social Affairs of Georgia",
)
# Countries Georgia has worked with on labour migration, named in the founding documents.
EMBASSIES = {
    "FR": ("საფრანგეთში", "France", "პარიზი", "Paris"),
    "IL": ("ისრაელის სახელმწიფოში", "Israel", "თელ-ავივი", "Tel Aviv"),
    "PL": ("პოლონეთში", "Poland", "ვარშავა", "Warsaw"),
    "BG": ("ბულგარეთში", "Bulgaria", "სოფია", "Sofia"),
    "LT": ("ლიეტუვაში", "Lithuania", "ვილნიუსი", "Vilnius"),
    "EE": ("ესტონეთში", "Estonia", "ტალინი", "Tallinn"),
    "NO": ("ნორვეგიაში", "Norway", "ოსლო", "Oslo"),
    "SE": ("შვედეთში", "Sweden", "სტოკჰოლმი", "Stockholm"),
    "FI": ("ფინეთში", "Finland", "ჰელსინკი", "Helsinki"),
    "ES": ("ესპანეთში", "Spain", "მადრიდი", "Madrid"),
    "PT": ("პორტუგალიაში", "Portugal", "ლისაბონი", "Lisbon"),
    "TR": ("თურქეთში", "Turkey", "ანკარა", "Ankara"),
    "GR": ("საბერძნეთში", "Greece", "ათენი", "Athens"),
    "HU": ("უნგრეთში", "Hungary", "ბუდაპეშტი", "Budapest"),
    "DE": ("გერმანიაში", "Germany", "ბერლინი", "Berlin"),
}
# Municipalities of the occupied territories that Georgian law still lists.
OCCUPIED_MUNICIPALITIES = ["azhara", "akhalgori", "eredvi", "kurta", "tighva"]
IOM_OFFICES = [
    ("თბილისის ოფისი", "Tbilisi office", "თბილისი", "Tbilisi"),
    ("ბათუმის საველე ოფისი", "Batumi field office", "ბათუმი", "Batumi"),
    ("ქუთაისის საველე ოფისი", "Kutaisi field office", "ქუთაისი", "Kutaisi"),
    ("ფოთის საველე ოფისი", "Poti field office", "ფოთი", "Poti"),
    ("თელავის საველე ოფისი", "Telavi field office", "თელავი", "Telavi"),
]


@dataclass
class DemoResult:
    organisations_created: int = 0
    users_created: int = 0
    job_seekers_created: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


def _organisation(
    result: DemoResult, kind: str, name_ka: str, name_en: str, **extra
) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(
        kind=kind, name_en=name_en, defaults={"name_ka": name_ka, **extra}
    )
    result.organisations_created += created
    return organisation


def _organisations(result: DemoResult) -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    orgs["ministry"] = _organisation(
        result, OrganisationKind.LABOUR_MINISTRY, *MINISTRY, short_name="MoLHSA"
    )
    orgs["agency"] = _organisation(
        result,
        OrganisationKind.EMPLOYMENT_AGENCY,
        "დასაქმების ხელშეწყობის სახელმწიფო სააგენტო",
        "State Employment Support Agency",
        parent=orgs["ministry"],
        short_name="SESA",
    )
    orgs["mfa"] = _organisation(
        result,
        OrganisationKind.FOREIGN_MINISTRY,
        "საქართველოს საგარეო საქმეთა სამინისტრო",
        "Ministry of Foreign Affairs of Georgia",
        short_name="MFA",
    )
    for code, (where_ka, country_en, city_ka, city_en) in EMBASSIES.items():
        orgs[f"embassy_{code}"] = _organisation(
            result,
            OrganisationKind.EMBASSY,
            f"საქართველოს საელჩო {where_ka}",
            f"Embassy of Georgia in {country_en}",
            country_id=code,
            parent=orgs["mfa"],
            city_ka=city_ka,
            city_en=city_en,
        )
    orgs["iom"] = _organisation(
        result,
        OrganisationKind.IOM_NGO,
        "მიგრაციის საერთაშორისო ორგანიზაციის (IOM) საქართველოს მისია",
        "International Organization for Migration (IOM) Mission to Georgia",
        short_name="IOM",
    )
    for name_ka, name_en, city_ka, city_en in IOM_OFFICES:
        orgs[f"iom_{city_en.lower()}"] = _organisation(
            result,
            OrganisationKind.IOM_NGO,
            f"IOM — {name_ka}",
            f"IOM {name_en}",
            parent=orgs["iom"],
            city_ka=city_ka,
            city_en=city_en,
        )
    orgs["commission"] = _organisation(
        result,
        OrganisationKind.MIGRATION_COMMISSION,
        "მიგრაციის საკითხთა სამთავრობო კომისია",
        "State Commission on Migration Issues",
    )
    # Fictional organisations, marked as demo, for the external roles.
    orgs["employer"] = _organisation(
        result,
        OrganisationKind.FOREIGN_EMPLOYER,
        "ვალ-დე-ლუარის სასოფლო-სამეურნეო კოოპერატივი (დემო)",
        "Val de Loire Farming Cooperative (demo)",
        country_id="FR",
        city_ka="ანჟე",
        city_en="Angers",
    )
    orgs["pes"] = _organisation(
        result,
        OrganisationKind.PARTNER_PES,
        "პოლონეთის საჯარო დასაქმების სამსახური (დემო)",
        "Public Employment Service of Poland (demo)",
        country_id="PL",
    )
    orgs["private_agency"] = _organisation(
        result,
        OrganisationKind.PRIVATE_AGENCY,
        "შპს „სამართლიანი გზა“ — დასაქმების სააგენტო (დემო)",
        "Fair Way Employment Agency LLC (demo)",
    )
    orgs["diaspora"] = _organisation(
        result,
        OrganisationKind.DIASPORA_ORGANISATION,
        "ქართველთა თემი პოლონეთში (დემო)",
        "Georgian Community in Poland (demo)",
        country_id="PL",
    )
    return orgs


DEMO_USERS = [
    ("ministry@demo.gza.ge", "ნინო ბერიძე", Role.MINISTRY_OFFICER, "agency"),
    ("embassy@demo.gza.ge", "გიორგი კაპანაძე", Role.EMBASSY_OFFICER, "embassy_FR"),
    ("caseworker@demo.gza.ge", "თამარ ლომიძე", Role.CASEWORKER, "iom_tbilisi"),
    ("employer@demo.gza.ge", "Claire Martin", Role.EMPLOYER, "employer"),
    ("agency@demo.gza.ge", "დავით ჩხეიძე", Role.AGENCY, "private_agency"),
    ("jobseeker@demo.gza.ge", "ლევან გელაშვილი", Role.JOB_SEEKER, None),
    ("analyst@demo.gza.ge", "ეკატერინე წერეთელი", Role.ANALYST, "commission"),
    ("editor@demo.gza.ge", "მარიამ ჯავახიშვილი", Role.CONTENT_EDITOR, "ministry"),
    ("admin@demo.gza.ge", "ირაკლი მაისურაძე", Role.ADMINISTRATOR, "ministry"),
]


def _users(result: DemoResult, orgs: dict[str, Organisation]) -> dict[str, User]:
    users = {}
    for email, name, role, org_key in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                full_name=name,
                role=role,
                organisation=orgs[org_key] if org_key else None,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            result.users_created += 1
        users[role] = user
        result.logins.append((email, role.label))
    return users


def _demo_registration_number(index: int) -> str:
    """Demo people's numbers start with 9 and follow their index, so re-runs give the same."""
    body = f"9{index:08d}"
    return body + luhn_digit(body)


def _birth_date(rng: random.Random) -> date:
    return date(2026, 1, 1) - timedelta(days=rng.randint(18 * 365, 60 * 365))


def _job_seekers(
    result: DemoResult, orgs: dict[str, Organisation], count: int, own_account: User
) -> None:
    faker = Faker("ka_GE")
    faker.seed_instance(SEED)
    rng = random.Random(SEED)
    # People live where Georgia's authorities work: not in the occupied territories' units.
    municipalities = list(
        Municipality.objects.exclude(code__in=OCCUPIED_MUNICIPALITIES).order_by("code")
    )
    if not municipalities:
        raise DomainError(DomainError.REFERENCE_MISSING)
    registrars = [orgs["agency"]] * 8 + [orgs["iom_tbilisi"], orgs["iom_batumi"]]
    people = []
    for index in range(count):
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        first = faker.first_name_female() if sex == Sex.FEMALE else faker.first_name_male()
        last = faker.last_name()
        people.append(
            JobSeeker(
                # From the index alone, so a change elsewhere in this loop cannot make a second
                # run mint new people.
                personal_number=f"{1 + index % 62:02d}{index:09d}",
                first_name=first,
                last_name=last,
                first_name_latin=title_case_name(romanise(first)),
                last_name_latin=title_case_name(romanise(last)),
                sex=sex,
                birth_date=_birth_date(rng),
                municipality=rng.choice(municipalities),
                phone=f"+9955{rng.randint(10_000_000, 99_999_999)}",
                registered_by_organisation=rng.choice(registrars),
                # From the index too (bulk_create skips save(), which would draw one).
                registration_number=_demo_registration_number(index),
            )
        )
        people[-1].refresh_name_keys()
    before = JobSeeker.objects.count()
    JobSeeker.objects.bulk_create(people, batch_size=1000, ignore_conflicts=True)
    # bulk_create skips save(), which keeps the name search's dictionary.
    index_names(key for person in people for key in (person.first_name_key, person.last_name_key))
    # The demo job seeker's own record, linked to their account.
    JobSeeker.objects.get_or_create(
        user=own_account,
        defaults={
            "personal_number": "01001999999",
            "first_name": "ლევან",
            "last_name": "გელაშვილი",
            "first_name_latin": "Levan",
            "last_name_latin": "Gelashvili",
            "sex": Sex.MALE,
            "birth_date": date(1994, 5, 17),
            "municipality": Municipality.objects.get(code="telavi"),
            "registered_by_organisation": orgs["agency"],
        },
    )
    _demo_duplicates(orgs)
    _demo_consents()
    result.job_seekers_created = JobSeeker.objects.count() - before


def _demo_duplicates(orgs: dict) -> None:
    """Three people registered a second time, as happens: at another service centre, the
    personal number mistyped by one digit and the Latin name spelt another way. The review
    queue then has something to show; nothing is merged."""
    originals = JobSeeker.objects.filter(registration_number__startswith="9").order_by(
        "registration_number"
    )[:30:10]
    for original in originals:
        digits = original.personal_number
        typo = digits[:-1] + str((int(digits[-1]) + 1) % 10)
        if JobSeeker.objects.filter(personal_number=typo).exists():
            continue
        twin = JobSeeker.objects.create(
            personal_number=typo,
            first_name=original.first_name,
            last_name=original.last_name,
            first_name_latin=original.first_name_latin,
            last_name_latin=original.last_name_latin.replace("sh", "sch").replace("v", "w"),
            sex=original.sex,
            birth_date=original.birth_date,
            municipality=original.municipality,
            phone=original.phone,
            registered_by_organisation=orgs["iom_tbilisi"],
        )
        record_candidates(twin)


def _demo_consents() -> None:
    """Everyone consented to registration (on paper at the service centre); four in five also to
    sharing their profile with employers. Only people without a standing consent get one."""
    ensure_consent_texts()
    now = timezone.now()
    for purpose, share in (
        (ConsentPurpose.REGISTRATION, 1.0),
        (ConsentPurpose.EMPLOYER_SHARING, 0.8),
    ):
        text = ConsentText.objects.filter(purpose=purpose).order_by("-version").first()
        have = Consent.objects.filter(purpose=purpose, withdrawn_at__isnull=True).values(
            "job_seeker"
        )
        missing = JobSeeker.objects.exclude(pk__in=have).values_list("pk", "registration_number")
        Consent.objects.bulk_create(
            [
                Consent(job_seeker_id=pk, purpose=purpose, text=text, given_at=now)
                for pk, number in missing.iterator()
                # From the number, so a re-run gives the same people the same consents.
                if int(number) % 100 < share * 100
            ],
            batch_size=1000,
        )


def demo_data_load(*, job_seekers: int = 3000) -> DemoResult:
    if settings.PRODUCTION:
        raise DomainError(DomainError.DEMO_IN_PRODUCTION)
    result = DemoResult()
    with transaction.atomic():
        orgs = _organisations(result)
        users = _users(result, orgs)
        _job_seekers(result, orgs, job_seekers, users[Role.JOB_SEEKER])
    return result
