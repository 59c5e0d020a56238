"""Bulk imports of the demand domain, one class per kind of record (the framework, and how to add
an import, is described in gza/core/imports.py).

- `foreign_employers`: foreign employers by country and registration number; a new one is
  registered and waits for vetting, a known one has its particulars updated.
- `vacancies`: draft vacancies (job orders) through `vacancy_save`, keyed by their owner (the
  agency that placed the order, otherwise the employer) and the owner's external reference; a
  vacancy that has left draft is not touched and its line says so.
- `in_demand_occupations`: a study's list of in-demand occupations through `in_demand_save`,
  keyed by the study and the external reference. The study is a column, because an import job
  (core.ImportJob) carries nothing but its file: choosing the study on the upload page would
  need a field, and a migration, there.

Cells are read as people write them in either language: dates as 2027-03-01 or 01.03.2027,
yes/no as კი/არა, the wage period as hour/month or საათი/თვე, languages as `pl:A2; en:B1`,
ESCO skills as their URIs or codes separated by semicolons.
What a value means (an ISCO code that exists, a CEFR level from A1 to C2, at least one
position, a wage above the minimum) is the services' business: their refusals name the column.
The vacancy import adds one rule of its own: an application deadline already past is refused
(a draft may keep one, but could never be submitted).
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import ImportRowStatus, Role
from gza.core.errors import DomainError
from gza.core.imports import REPEATED_KEY, Column, Import, ImportContext, register
from gza.core.models import User
from gza.core.roles import Right
from gza.demand.enums import (
    CertificationStatus,
    NaceSection,
    SelectionMethod,
    VacancyStatus,
    VettingStatus,
    WagePeriod,
)
from gza.demand.models import (
    Agency,
    ForeignEmployer,
    InDemandOccupation,
    Vacancy,
    VacancyLanguage,
)
from gza.demand.services import employer_register, employer_registration_allowed, employer_update
from gza.demand.studies import in_demand_save, studies_editable_by, study_creation_allowed
from gza.demand.vacancies import (
    Rule,
    esco_skills_named,
    own_agency,
    own_employer,
    vacancy_creation_allowed,
    vacancy_save,
)
from gza.matching.coding import code_from_text
from gza.partners.enums import AgreementStatus
from gza.partners.models import Agreement
from gza.taxonomy.models import Country, EscoSkill

UNKNOWN_COUNTRY = _(
    "“%(value)s” is not a known country. Write its two-letter ISO code (FR) or its name."
)
UNKNOWN_NACE = _("“%(value)s” is not a section of NACE Rev. 2. Write its letter, from A to U.")


# Reference data, the same few values on every line: each spelling is looked up once per
# process (a miss is not remembered, so countries loaded later are found).
_countries: dict[str, Country] = {}


def parse_country(text: str) -> Country:
    """A country by its ISO code or its Georgian or English name."""
    text = " ".join(text.split())
    country = _countries.get(text.casefold())
    if country is None:
        country = (
            Country.objects.states()
            .filter(Q(code__iexact=text) | Q(name_ka__iexact=text) | Q(name_en__iexact=text))
            .first()
        )
        if country is not None and len(_countries) < 2000:
            _countries[text.casefold()] = country
    if country is None:
        raise ValidationError(UNKNOWN_COUNTRY, code="unknown_country", params={"value": text})
    return country


def parse_nace_section(text: str) -> str:
    """A NACE Rev. 2 section by its letter; "A — Agriculture ..." is read as "A"."""
    letter = text.split()[0].rstrip(".—–-:").upper()
    if letter not in NaceSection.values:
        raise ValidationError(UNKNOWN_NACE, code="unknown_nace", params={"value": text})
    return letter


@register
class ForeignEmployerImport(Import):
    name = "foreign_employers"
    label = _("Foreign employers")
    description = _(
        "One line per employer. A new employer is registered and waits for vetting by the "
        "embassy of its country; an employer already registered under the same country and "
        "registration number has its particulars updated. Vetting is not imported."
    )
    right = Right.DEMAND_VIEW
    model = ForeignEmployer
    key_columns = ("country", "registration_number")
    columns = (
        Column(
            "country",
            "ქვეყანა",
            "Country",
            required=True,
            parser=parse_country,
            help=_("Two-letter ISO code (PL) or the country's name."),
        ),
        Column(
            "registration_number",
            "სარეგისტრაციო ნომერი",
            "Registration number",
            required=True,
            help=_("The number in the employer's own country's register of companies."),
        ),
        Column("name", "დასახელება", "Name", required=True),
        Column("city", "ქალაქი", "City", required=True),
        Column("address", "მისამართი", "Address"),
        Column(
            "nace_section",
            "სექტორი (NACE)",
            "Sector (NACE)",
            required=True,
            parser=parse_nace_section,
            help=_("The letter of the NACE Rev. 2 section, A to U."),
        ),
        Column("website", "ვებგვერდი", "Website"),
        Column("contact_person", "საკონტაქტო პირი", "Contact person", required=True),
        Column("contact_email", "საკონტაქტო ელფოსტა", "Contact e-mail", required=True),
        Column("contact_phone", "საკონტაქტო ტელეფონი", "Contact phone"),
    )

    @classmethod
    def allowed(cls, user: User) -> bool:
        # A file registers many employers: the ministry's and the embassies' work (the service
        # keeps an embassy to its own country). An employer registers itself, once, by the form.
        return (
            super().allowed(user)
            and user.role != Role.EMPLOYER
            and employer_registration_allowed(user)
        )

    def key(self, row: dict[str, Any]) -> str:
        return f"{row['country'].code} {row['registration_number']}"

    def apply(self, row: dict[str, Any], *, actor: User, context: ImportContext) -> str:
        employer = ForeignEmployer.objects.filter(
            country=row["country"], registration_number=row["registration_number"]
        ).first()
        if employer is None:
            employer_register(actor=actor, employer=ForeignEmployer(**row))
            return ImportRowStatus.CREATED
        for name, value in row.items():
            setattr(employer, name, value)
        employer_update(actor=actor, employer=employer)
        return ImportRowStatus.UPDATED


# Cells as people write them -------------------------------------------------------------------

NOT_A_WHOLE_NUMBER = _("“%(value)s” is not a whole number.")
NUMBER_TOO_LARGE = _("“%(value)s” is too large a number.")
NOT_A_NUMBER = _("“%(value)s” is not a number.")
NOT_A_DATE = _("“%(value)s” is not a date: write it as 2027-03-01 or 01.03.2027.")
NOT_YES_OR_NO = _("“%(value)s” is neither yes nor no: write yes or no (კი or არა).")
UNKNOWN_WAGE_PERIOD = _("“%(value)s” is not a wage period: write hour or month (საათი or თვე).")
UNKNOWN_SELECTION_METHOD = _(
    "“%(value)s” is not a selection method: write ranking or lottery (რანჟირება or წილისყრა)."
)
UNKNOWN_ISCED_LEVEL = _("“%(value)s” is not an ISCED 2011 level: write a digit from 0 to 8.")
NOT_A_LANGUAGE_REQUIREMENT = _(
    "“%(value)s” is not a language requirement: write the language's code and the minimum CEFR "
    "level, for example pl:A2; en:B1."
)

# Nine digits are more than any count or number of days here, and fit every integer column.
_MAX_DIGITS = 9
_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_YES = frozenset({"yes", "y", "true", "1", "კი", "დიახ"})
_NO = frozenset({"no", "n", "false", "0", "არა"})
_WAGE_PERIODS = {
    **dict.fromkeys(("hour", "hourly", "per hour", "საათი", "საათში"), WagePeriod.HOUR),
    **dict.fromkeys(("month", "monthly", "per month", "თვე", "თვეში"), WagePeriod.MONTH),
}
_SELECTION_METHODS = {
    **dict.fromkeys(("ranking", "რანჟირება", "რეიტინგი"), SelectionMethod.RANKING),
    **dict.fromkeys(("lottery", "წილისყრა", "ლატარია"), SelectionMethod.LOTTERY),
}
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISCED = re.compile(r"(?:isced\s*)?([0-8])", re.IGNORECASE)
_LANGUAGE_ITEM = re.compile(r"(\S+?)\s*[:\s]\s*(\S+)")


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def parse_whole_number(text: str) -> int:
    """A whole number; spaces as thousands separators are allowed ("1 200")."""
    cleaned = _SPACES.sub("", text)
    if not re.fullmatch(r"[+-]?\d+", cleaned):
        raise ValidationError(NOT_A_WHOLE_NUMBER, code="not_int", params={"value": text})
    if len(cleaned.lstrip("+-").lstrip("0")) > _MAX_DIGITS:
        raise ValidationError(NUMBER_TOO_LARGE, code="too_large", params={"value": text})
    return int(cleaned)


def parse_amount(text: str) -> Decimal:
    """An amount with a decimal point or a decimal comma: 31.50, 31,50, 4 666,00, 4,666.00."""
    cleaned = _SPACES.sub("", text)
    cleaned = cleaned.replace(",", "") if "." in cleaned else cleaned.replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(NOT_A_NUMBER, code="not_a_number", params={"value": text})
    return amount


def parse_date(text: str) -> datetime.date:
    """A date as ISO 8601 (2027-03-01, what a spreadsheet's date cell becomes) or as Georgians
    write it (01.03.2027)."""
    try:
        if match := _DOTTED_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            return datetime.date(year, month, day)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.date.fromisoformat(text)
    except ValueError:  # a day or month out of range
        pass
    raise ValidationError(NOT_A_DATE, code="not_a_date", params={"value": text})


def parse_yes_no(text: str) -> bool:
    word = _words(text)
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValidationError(NOT_YES_OR_NO, code="not_yes_no", params={"value": text})


def parse_wage_period(text: str) -> str:
    period = _WAGE_PERIODS.get(_words(text))
    if period is None:
        raise ValidationError(UNKNOWN_WAGE_PERIOD, code="wage_period", params={"value": text})
    return period


def parse_selection_method(text: str) -> str:
    method = _SELECTION_METHODS.get(_words(text))
    if method is None:
        raise ValidationError(
            UNKNOWN_SELECTION_METHOD, code="selection_method", params={"value": text}
        )
    return method


def parse_isco_code(text: str) -> str:
    """An ISCO-08 code; "7115 Carpenters and joiners" is read as 7115, and a title in words
    ("შემდუღებელი", "сварщик") is coded by the autocoder when it is confident enough
    (gza/matching/coding.py). Whether the code exists and is a unit group is the service's
    rule."""
    return code_from_text(text)


def parse_isced_level(text: str) -> str:
    match = _ISCED.fullmatch(text.strip())
    if match is None:
        raise ValidationError(UNKNOWN_ISCED_LEVEL, code="isced", params={"value": text})
    return match.group(1)


def parse_currency(text: str) -> str:
    return text.upper()


def parse_driving_licences(text: str) -> str:
    """Categories separated by commas, semicolons or spaces, stored as "B,C,CE"; which are
    known is the model's rule."""
    return ",".join(part.upper() for part in re.split(r"[\s,;/]+", text) if part)


def parse_languages(text: str) -> tuple[tuple[str, str], ...]:
    """Language requirements as (ISO 639-1 code, CEFR level) pairs from "pl:A2; en:B1" (also
    "pl A2", separated by semicolons, commas or new lines). Which languages and levels exist
    is the services' rule."""
    pairs = []
    for item in re.split(r"[;,\n]+", text):
        item = item.strip()
        if not item:
            continue
        match = _LANGUAGE_ITEM.fullmatch(item)
        if match is None:
            raise ValidationError(
                NOT_A_LANGUAGE_REQUIREMENT, code="language_requirement", params={"value": item}
            )
        pairs.append((match.group(1).lower(), match.group(2).upper()))
    return tuple(pairs)


def parse_esco_skills(text: str) -> tuple[EscoSkill, ...]:
    """ESCO skills by their URIs or codes (the UUID that ends a URI), separated by semicolons
    or new lines; each one not found is named."""
    skills, errors = esco_skills_named(re.split(r"[;\n]+", text), labels=False)
    if errors:
        raise ValidationError(errors)
    return tuple(skills)


def _cached(context: ImportContext, key: tuple, find: Any) -> Any:
    """A look-up done once per job (employers, agencies, agreements, studies repeat on every
    line of a file)."""
    if key not in context.cache:
        context.cache[key] = find()
    return context.cache[key]


def _languages_column(help_text: Any) -> Column:
    return Column(
        "languages",
        "ენები",
        "Languages",
        parser=parse_languages,
        default=(),
        help=help_text,
    )


# Vacancies ------------------------------------------------------------------------------------

UNKNOWN_EMPLOYER = _(
    "No employer you may name is registered in %(country)s under the number %(value)s."
)
NOT_OWN_EMPLOYER = _(
    "You import your own vacancies only: %(value)s is not your registration number."
)
UNKNOWN_AGENCY = _("No agency you may name has the registry number %(value)s.")
NOT_OWN_AGENCY = _(
    "You import your own job orders only: %(value)s is not your agency's registry number."
)
OWNER_MISSING = _(
    "Name the employer (its registration number) or the agency that placed the order."
)
UNKNOWN_AGREEMENT = _(
    "No agreement numbered %(value)s is open to vacancies (signed, ratified or in force)."
)
NOT_UPDATED = _("Not updated: the vacancy is %(status)s, and an import changes only drafts.")

# Columns whose value is the model field's value as it is.
_VACANCY_FIELDS = (
    "country",
    "city",
    "title_ka",
    "title_en",
    "description_ka",
    "description_en",
    "positions",
    "wage_amount",
    "wage_currency",
    "wage_period",
    "hours_per_week",
    "contract_months",
    "start_date",
    "housing_provided",
    "travel_provided",
    "insurance_provided",
    "experience_years",
    "driving_licences",
    "certificates",
    "selection_method",
    "application_deadline",
    "external_ref",
)
# Agreements a vacancy may be filed under (as on the vacancy form).
_OPEN_AGREEMENTS = (AgreementStatus.SIGNED, AgreementStatus.RATIFIED, AgreementStatus.IN_FORCE)


@register
class VacancyImport(Import):
    name = "vacancies"
    label = _("Vacancies")
    description = _(
        "One line per vacancy, saved as a draft to be submitted for verification. The external "
        "reference is the owner's own number for the vacancy: a line with a reference already "
        "imported for the same employer (or, for a job order, the same agency) updates that "
        "draft; a vacancy that is no longer a draft is left as it is and its line says so. An "
        "employer's or an agency's user imports its own vacancies and may leave the employer "
        "out."
    )
    right = Right.DEMAND_VIEW
    model = Vacancy
    key_columns = ("employer", "agency", "external_ref")
    columns = (
        Column(
            "external_ref",
            "გარე საცნობარო ნომერი",
            "External reference",
            required=True,
            help=_("The owner's own number for the vacancy: importing it again updates it."),
        ),
        Column(
            "employer",
            "დამსაქმებლის სარეგისტრაციო ნომერი",
            "Employer registration number",
            help=_(
                "As registered in Gza. An employer's user may leave it empty; an agency names "
                "a verified employer it recruits for, or none."
            ),
        ),
        Column(
            "employer_country",
            "დამსაქმებლის ქვეყანა",
            "Employer country",
            parser=parse_country,
            default=None,
            help=_("Where the employer is registered, if not the vacancy's country."),
        ),
        Column(
            "agency",
            "სააგენტოს საიდენტიფიკაციო კოდი",
            "Agency registry number",
            help=_(
                "For a job order placed by a licensed Georgian agency. An agency's user may "
                "leave it empty."
            ),
        ),
        Column(
            "country",
            "ქვეყანა",
            "Country",
            required=True,
            parser=parse_country,
            help=_("Where the job is: two-letter ISO code (PL) or the country's name."),
        ),
        Column("city", "ქალაქი", "City"),
        Column(
            "agreement",
            "შეთანხმება",
            "Agreement",
            parser=parse_whole_number,
            default=None,
            help=_("The number of the agreement or scheme in Gza, if the vacancy is under one."),
        ),
        Column(
            "occupation",
            "პროფესია (ISCO-08)",
            "Occupation (ISCO-08)",
            required=True,
            parser=parse_isco_code,
            help=_(
                "The 4-digit ISCO-08 unit group, for example 9211, or the occupation in words, "
                "coded automatically when Gza is confident."
            ),
        ),
        Column("title_ka", "დასახელება (ქართულად)", "Title (Georgian)"),
        Column("title_en", "დასახელება (ინგლისურად)", "Title (English)"),
        Column("description_ka", "აღწერა (ქართულად)", "Description (Georgian)"),
        Column("description_en", "აღწერა (ინგლისურად)", "Description (English)"),
        Column(
            "positions",
            "ადგილების რაოდენობა",
            "Positions",
            required=True,
            parser=parse_whole_number,
        ),
        Column(
            "wage_amount",
            "ხელფასი",
            "Wage",
            required=True,
            parser=parse_amount,
            help=_("Gross, before tax; a decimal point or comma."),
        ),
        Column(
            "wage_currency",
            "ვალუტა",
            "Currency",
            required=True,
            parser=parse_currency,
            help=_("Three-letter ISO 4217 code: EUR, PLN."),
        ),
        Column(
            "wage_period",
            "ხელფასის პერიოდი",
            "Wage period",
            required=True,
            parser=parse_wage_period,
            help=_("hour or month (საათი or თვე)."),
        ),
        Column(
            "hours_per_week",
            "სამუშაო საათები კვირაში",
            "Hours per week",
            parser=parse_whole_number,
            default=None,
            help=_("Required with an hourly wage."),
        ),
        Column(
            "contract_months",
            "ხელშეკრულების ვადა (თვე)",
            "Contract length (months)",
            parser=parse_whole_number,
            default=None,
        ),
        Column(
            "start_date",
            "მუშაობის დაწყების თარიღი",
            "Start date",
            parser=parse_date,
            default=None,
            help=_("2027-03-01 or 01.03.2027."),
        ),
        Column(
            "housing_provided",
            "საცხოვრებლით უზრუნველყოფა",
            "Housing provided",
            parser=parse_yes_no,
            default=False,
            help=_("yes or no (კი or არა)."),
        ),
        Column(
            "travel_provided",
            "მგზავრობის ხარჯის ანაზღაურება",
            "Travel paid",
            parser=parse_yes_no,
            default=False,
            help=_("yes or no (კი or არა)."),
        ),
        Column(
            "insurance_provided",
            "ჯანმრთელობის დაზღვევით უზრუნველყოფა",
            "Health insurance provided",
            parser=parse_yes_no,
            default=False,
            help=_("yes or no (კი or არა)."),
        ),
        Column(
            "experience_years",
            "სამუშაო გამოცდილება (წელი)",
            "Years of experience",
            parser=parse_whole_number,
            default=0,
        ),
        Column(
            "isced_level",
            "მინიმალური განათლება (ISCED)",
            "Minimum education (ISCED)",
            parser=parse_isced_level,
            default=None,
            help=_("The ISCED 2011 level, 0 to 8."),
        ),
        Column(
            "driving_licences",
            "მართვის მოწმობის კატეგორიები",
            "Driving licence categories",
            parser=parse_driving_licences,
            help=_("For example B, C, CE."),
        ),
        Column("certificates", "სერტიფიკატები", "Certificates"),
        Column(
            "selection_method",
            "შერჩევის მეთოდი",
            "Selection method",
            parser=parse_selection_method,
            default=SelectionMethod.RANKING,
            help=_("ranking or lottery (რანჟირება or წილისყრა); ranking if empty."),
        ),
        Column(
            "application_deadline",
            "განაცხადების მიღების ვადა",
            "Application deadline",
            parser=parse_date,
            default=None,
            help=_("Not in the past: 2027-03-01 or 01.03.2027."),
        ),
        _languages_column(_("Language code and minimum CEFR level, for example pl:A2; en:B1.")),
        Column(
            "skills",
            "ESCO უნარები",
            "ESCO skills",
            parser=parse_esco_skills,
            default=(),
            help=_(
                "ESCO skill URIs or codes separated by semicolons, for example "
                "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab."
            ),
        ),
    )

    @classmethod
    def allowed(cls, user: User) -> bool:
        # The ministry and embassies (the service keeps an embassy to its country, line by
        # line); an employer's or an agency's user once its organisation has its record.
        return super().allowed(user) and vacancy_creation_allowed(user)

    def key(self, row: dict[str, Any]) -> str:
        owner = ""
        if row.get("agency"):
            owner = row["agency"]
        elif row.get("employer"):
            owner = f"{(row.get('employer_country') or row['country']).code} {row['employer']}"
        return f"{owner}: {row['external_ref']}" if owner else row["external_ref"]

    # Who owns the line's vacancy.

    def _agency(self, row: dict[str, Any], actor: User, context: ImportContext) -> Agency | None:
        """The agency named by the line, or an agency's user's own; None for none."""
        number = row.get("agency", "")
        if actor.role in {Role.EMPLOYER, Role.AGENCY}:
            own = own_agency(actor)
            if number and (own is None or own.registry_number != number):
                raise ValidationError(
                    {"agency": ValidationError(NOT_OWN_AGENCY, params={"value": number})}
                )
            return own
        if not number:
            return None
        agencies = Agency.objects.all()
        if actor.role != Role.MINISTRY_OFFICER:
            # As on the vacancy form: an embassy files job orders of certified agencies.
            agencies = agencies.filter(status=CertificationStatus.CERTIFIED)
        agency = _cached(
            context,
            ("agency", number),
            lambda: agencies.filter(registry_number=number).first(),
        )
        if agency is None:
            raise ValidationError(
                {"agency": ValidationError(UNKNOWN_AGENCY, params={"value": number})}
            )
        return agency

    def _employer(
        self, row: dict[str, Any], actor: User, context: ImportContext
    ) -> ForeignEmployer | None:
        """The employer named by the line (None if the cell is empty)."""
        number = row.get("employer", "")
        if not number:
            return None
        country = row.get("employer_country") or row["country"]
        if actor.role == Role.EMPLOYER:
            own = own_employer(actor)
            if own is None or (own.country_id, own.registration_number) != (country.pk, number):
                raise ValidationError(
                    {"employer": ValidationError(NOT_OWN_EMPLOYER, params={"value": number})}
                )
            return own
        if actor.role == Role.AGENCY:
            # As on the vacancy form: an agency recruits for verified employers.
            employers = ForeignEmployer.objects.filter(vetting_status=VettingStatus.VERIFIED)
        else:
            employers = ForeignEmployer.objects.visible_to(actor)
        employer = _cached(
            context,
            ("employer", country.pk, number),
            lambda: employers.filter(country=country, registration_number=number).first(),
        )
        if employer is None:
            raise ValidationError(
                {
                    "employer": ValidationError(
                        UNKNOWN_EMPLOYER, params={"value": number, "country": country.name}
                    )
                }
            )
        return employer

    def _agreement(self, number: int, context: ImportContext) -> Agreement:
        agreement = _cached(
            context,
            ("agreement", number),
            lambda: (
                Agreement.objects.filter(pk=number, status__in=_OPEN_AGREEMENTS)
                .select_related("partner__country")
                .first()
            ),
        )
        if agreement is None:
            raise ValidationError(
                {"agreement": ValidationError(UNKNOWN_AGREEMENT, params={"value": number})}
            )
        return agreement

    def apply(self, row: dict[str, Any], *, actor: User, context: ImportContext) -> str:
        agency = self._agency(row, actor, context)
        employer = self._employer(row, actor, context)
        if employer is None and actor.role == Role.EMPLOYER:
            employer = own_employer(actor)
        reference = row["external_ref"]
        if agency is not None:
            found = Vacancy.objects.filter(agency=agency, external_ref=reference)
        elif employer is not None:
            found = Vacancy.objects.filter(
                agency__isnull=True, employer=employer, external_ref=reference
            )
        else:
            raise ValidationError({"employer": ValidationError(OWNER_MISSING)})
        vacancy = found.first()
        created = vacancy is None
        written: dict[int, int] = context.cache.setdefault("vacancy_lines", {})
        if created:
            vacancy = Vacancy(agency=agency, employer=employer)
        else:
            if not Vacancy.objects.editable_by(actor).filter(pk=vacancy.pk).exists():
                raise DomainError(DomainError.NOT_PERMITTED)
            # The key cannot tell (it does not know the actor) that an agency's two lines naming
            # different employers share a reference; the vacancy can.
            if first := written.get(vacancy.pk):
                raise ValidationError(
                    REPEATED_KEY, params={"first": first, "key": self.key_label()}
                )
            if vacancy.status != VacancyStatus.DRAFT:
                raise ValidationError(
                    NOT_UPDATED, code="not_a_draft", params={"status": vacancy.get_status_display()}
                )
            if "employer" in row:
                vacancy.employer = employer
        for name in _VACANCY_FIELDS:
            if name in row:
                setattr(vacancy, name, row[name])
        if "occupation" in row:
            vacancy.occupation_id = row["occupation"]
        if "isced_level" in row:
            vacancy.isced_level_id = row["isced_level"]
        if "agreement" in row:
            number = row["agreement"]
            vacancy.agreement = self._agreement(number, context) if number is not None else None
        deadline = vacancy.application_deadline
        if deadline is not None and deadline < timezone.localdate():
            # The service lets a draft keep a passed deadline (it is refused when the draft is
            # submitted); a file is checked now, while its author can still correct the line.
            raise ValidationError(
                {
                    "application_deadline": ValidationError(
                        Rule.DEADLINE_PASSED,
                        code="deadline_passed",
                        params={"date": deadline.isoformat()},
                    )
                }
            )
        if "languages" in row:
            pairs = row["languages"]
        else:
            pairs = [] if created else vacancy.languages.values_list("language", "min_level")
        languages = [VacancyLanguage(language_id=code, min_level_id=level) for code, level in pairs]
        # Without the column a new vacancy has no skills and an updated one keeps its own.
        skills = list(row["skills"]) if "skills" in row else None
        vacancy_save(actor=actor, vacancy=vacancy, languages=languages, skills=skills)
        written[vacancy.pk] = context.line
        return ImportRowStatus.CREATED if created else ImportRowStatus.UPDATED


# In-demand occupations ------------------------------------------------------------------------

UNKNOWN_STUDY = _("No labour-market study numbered %(value)s is open to you.")


@register
class InDemandImport(Import):
    name = "in_demand_occupations"
    label = _("In-demand occupations")
    description = _(
        "One line per occupation on a labour-market study's list. The study is named by its "
        "number (in its page's address). A line with an external reference already imported "
        "into the study updates that occupation; an occupation already listed by hand, without "
        "a reference, is taken over by the line that names it."
    )
    right = Right.STUDIES_VIEW
    model = InDemandOccupation
    key_columns = ("study", "external_ref")
    columns = (
        Column(
            "study",
            "კვლევის ნომერი",
            "Study number",
            required=True,
            parser=parse_whole_number,
            help=_("The number in the address of the study's page (…/studies/12/)."),
        ),
        Column(
            "external_ref",
            "გარე საცნობარო ნომერი",
            "External reference",
            required=True,
            help=_("The line's own number in the study: importing it again updates it."),
        ),
        Column(
            "occupation",
            "პროფესია (ISCO-08)",
            "Occupation (ISCO-08)",
            required=True,
            parser=parse_isco_code,
            help=_(
                "The 4-digit ISCO-08 unit group, for example 9211, or the occupation in words, "
                "coded automatically when Gza is confident."
            ),
        ),
        Column(
            "estimated_demand",
            "სავარაუდო მოთხოვნა (მუშაკთა რაოდენობა)",
            "Estimated demand (workers)",
            required=True,
            parser=parse_whole_number,
        ),
        Column(
            "wage_min",
            "ხელფასი (ქვედა ზღვარი)",
            "Wage from",
            parser=parse_amount,
            default=None,
        ),
        Column(
            "wage_max",
            "ხელფასი (ზედა ზღვარი)",
            "Wage to",
            parser=parse_amount,
            default=None,
        ),
        Column(
            "wage_currency",
            "ვალუტა",
            "Currency",
            parser=parse_currency,
            help=_("Three-letter ISO 4217 code: EUR, PLN. Required with a wage."),
        ),
        Column(
            "wage_period",
            "ხელფასის პერიოდი",
            "Wage period",
            parser=parse_wage_period,
            help=_("hour or month (საათი or თვე). Required with a wage."),
        ),
        _languages_column(_("Language code and minimum CEFR level, for example pl:A2; en:B1.")),
        Column("qualifications", "კვალიფიკაციები", "Qualifications"),
        Column("licences", "ლიცენზიები", "Licences"),
    )

    @classmethod
    def allowed(cls, user: User) -> bool:
        # The ministry and embassies (an embassy edits its country's studies, the service
        # checks each line); a caseworker once a study of its organisation is open to it.
        return (
            super().allowed(user)
            and study_creation_allowed(user)
            and (user.role != Role.CASEWORKER or studies_editable_by(user).exists())
        )

    def key(self, row: dict[str, Any]) -> str:
        return f"{row['study']}: {row['external_ref']}"

    def apply(self, row: dict[str, Any], *, actor: User, context: ImportContext) -> str:
        number = row["study"]
        study = _cached(
            context,
            ("study", number),
            lambda: studies_editable_by(actor).filter(pk=number).first(),
        )
        if study is None:
            raise ValidationError(
                {"study": ValidationError(UNKNOWN_STUDY, params={"value": number})}
            )
        reference = row["external_ref"]
        rows = InDemandOccupation.objects.filter(study=study)
        current = (
            rows.filter(external_ref=reference).first()
            or rows.filter(occupation_id=row["occupation"], external_ref="").first()
        )
        # A column left out of the file keeps the value it has; in_demand_save takes them all.
        values: dict[str, Any] = {
            "wage_min": None,
            "wage_max": None,
            "wage_currency": "",
            "wage_period": "",
            "qualifications": "",
            "licences": "",
            "languages": (),
        }
        if current is not None:
            values.update({name: getattr(current, name) for name in values if name != "languages"})
            values["languages"] = tuple(current.languages.values_list("language", "min_level"))
        values.update({name: value for name, value in row.items() if name in values})
        in_demand_save(
            actor=actor,
            study=study,
            occupation=row["occupation"],
            estimated_demand=row["estimated_demand"],
            external_ref=reference,
            in_demand=current,
            **values,
        )
        return ImportRowStatus.CREATED if current is None else ImportRowStatus.UPDATED
