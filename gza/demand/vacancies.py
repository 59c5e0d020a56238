"""Vacancies (job orders): saving a draft with its language requirements, moving a vacancy
along its lifecycle under the rules that guard publication (a verified employer, a certified
agency, the destination's minimum wage, the agreement's quota, deadlines), the minimum-wage
comparison, and the search the public portal shows. See docs/decisions/0011."""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, DecimalField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record, snapshot
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.templatetags.gza import money
from gza.core.text import normalise_for_search
from gza.core.workflow import Transition
from gza.demand.enums import (
    CertificationStatus,
    MinimumWageOutcome,
    VacancyStatus,
    VettingStatus,
    WagePeriod,
)
from gza.demand.models import (
    VACANCY_LIFECYCLE,
    Agency,
    ForeignEmployer,
    Vacancy,
    VacancyEvent,
    VacancyLanguage,
    VacancyQuerySet,
)
from gza.partners.enums import AgreementStatus, IndicatorKind
from gza.partners.models import Agreement, CountryIndicator
from gza.taxonomy.enums import IscoLevel, SkillRelation
from gza.taxonomy.models import EscoSkill, Language, Occupation

VS = VacancyStatus
# What the vacancy form edits; the status moves through vacancy_move(). ESCO skills are passed
# to vacancy_save() apart, named by their URI, code or English label (esco_skills_named()).
VACANCY_FIELDS = [
    "employer",
    "agency",
    "country",
    "city",
    "agreement",
    "occupation",
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
    "application_deadline",
    "housing_provided",
    "travel_provided",
    "insurance_provided",
    "experience_years",
    "isced_level",
    "driving_licences",
    "certificates",
    "selection_method",
    "external_ref",
]
# The CEFR scale. The reference table holds exactly these; the rule does not depend on it.
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
# Statuses whose positions count against an agreement's quota (Agreement.quota_offered).
COUNTED = frozenset({VS.PUBLISHED, VS.CLOSED, VS.FILLED})
# A fuzzy (typo-tolerant) match on PostgreSQL: pg_trgm's own default word-similarity threshold.
FUZZY_MATCH = 0.6
# Only for search over old rows without hours: a full-time week.
DEFAULT_HOURS = 40


class Rule:
    """The refusals of this module, as constants so tests and callers can name them."""

    UNKNOWN_OCCUPATION = _("Unknown ISCO-08 code: %(value)s.")
    NOT_A_UNIT_GROUP = _(
        "ISCO-08 %(value)s is a broader group: choose one of its 4-digit unit groups."
    )
    UNKNOWN_LANGUAGE = _("Unknown language: %(value)s.")
    CEFR_OUT_OF_RANGE = _("The CEFR level %(value)s is not one of A1, A2, B1, B2, C1 or C2.")
    LANGUAGE_REPEATED = _("Each language is required once: %(value)s is named twice.")
    POSITIONS_BELOW_ONE = _("A vacancy offers at least one position.")
    HOURS_FOR_HOURLY_WAGE = _("An hourly wage needs the hours per week.")
    START_BEFORE_DEADLINE = _(
        "The job cannot start (%(start)s) before applications close (%(deadline)s)."
    )
    DEADLINE_PASSED = _("The application deadline (%(date)s) has passed: set a later one.")
    BELOW_MINIMUM_WAGE = _(
        "The wage, %(wage)s %(period)s, is below the statutory minimum wage in %(country)s: "
        "%(minimum)s %(period)s."
    )
    AGREEMENT_OTHER_COUNTRY = _(
        "The agreement is with %(partner)s, not with the country of the vacancy."
    )
    AGREEMENT_NOT_IN_FORCE = _(
        "The agreement is %(status)s: vacancies are published only under an agreement in force."
    )
    EMPLOYER_NOT_VERIFIED = _(
        "The employer %(employer)s is not verified (%(status)s): only a verified employer's "
        "vacancies are published."
    )
    AGENCY_NOT_CERTIFIED = _(
        "The agency %(agency)s is not certified (%(status)s): only a certified agency's job "
        "orders are published."
    )
    QUOTA_NEEDS_START_DATE = _(
        "The agreement has quotas: give the start date, so the quota of its year counts the "
        "vacancy."
    )
    BEYOND_QUOTA = _(
        "Publishing %(positions)s positions would exceed the %(year)s quota for %(scope)s: "
        "%(left)s places left."
    )
    ONLY_DRAFTS_EDITED = _("The vacancy is %(status)s: only a draft can be edited.")
    MOVE_NOT_ALLOWED = _(
        "The vacancy is %(status)s: the move “%(move)s” is not possible from here."
    )
    REASON_REQUIRED = _("Say why: this move needs a reason.")
    UNKNOWN_SKILL = _("Unknown ESCO skill: %(value)s.")
    AMBIGUOUS_SKILL = _("Several ESCO skills are called “%(value)s”: give the skill's URI.")
    # Why a wage cannot be compared (shown on the vacancy page, never a refusal).
    NO_CURRENCY = _("The minimum wage is recorded without a currency.")
    OTHER_CURRENCY = _(
        "The minimum wage is recorded in %(minimum)s and the wage is paid in %(wage)s; Gza keeps "
        "no exchange rates."
    )
    UNKNOWN_UNIT = _("The minimum wage's unit (%(unit)s) is neither per hour nor per month.")
    NO_HOURS = _("Converting between hourly and monthly pay needs the hours per week.")


# Who may make each move. The owner is the agency that placed the order, otherwise the employer;
# the embassy is the one in the vacancy's country. Whoever keeps the draft submits it (an embassy
# or the ministry keeps drafts for employers without a workspace account).
OWNER, EMBASSY, MINISTRY = "owner", "embassy", "ministry"
MOVERS: dict[str, frozenset[str]] = {
    "submit": frozenset({OWNER, EMBASSY, MINISTRY}),
    "send_back": frozenset({EMBASSY, MINISTRY}),
    "verify": frozenset({EMBASSY, MINISTRY}),
    "publish": frozenset({MINISTRY}),
    "close": frozenset({OWNER, MINISTRY}),
    "reopen": frozenset({MINISTRY}),
    "fill": frozenset({OWNER, MINISTRY}),
    "cancel": frozenset({OWNER, MINISTRY}),
}


def _signed_in(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _capacities(user: User, vacancy: Vacancy) -> set[str]:
    """In which capacities `user` acts on `vacancy`."""
    if not _signed_in(user):
        return set()
    if user.role == Role.MINISTRY_OFFICER:
        return {MINISTRY}
    if not user.organisation_id:
        return set()
    if user.role == Role.EMBASSY_OFFICER:
        return {EMBASSY} if user.organisation.country_id == vacancy.country_id else set()
    if vacancy.agency_id:
        owner = vacancy.agency.organisation_id if user.role == Role.AGENCY else None
    elif vacancy.employer_id:
        owner = vacancy.employer.organisation_id if user.role == Role.EMPLOYER else None
    else:
        return set()
    return {OWNER} if owner == user.organisation_id else set()


def own_employer(user: User) -> ForeignEmployer | None:
    """The employer record of an employer's user, if its organisation has one."""
    if user.role != Role.EMPLOYER or not user.organisation_id:
        return None
    return ForeignEmployer.objects.filter(organisation_id=user.organisation_id).first()


def own_agency(user: User) -> Agency | None:
    """The agency of an agency's user, if its organisation has one."""
    if user.role != Role.AGENCY or not user.organisation_id:
        return None
    return Agency.objects.filter(organisation_id=user.organisation_id).first()


def vacancy_creation_allowed(user: User) -> bool:
    """The ministry and embassies enter vacancies; an employer's or an agency's user its own,
    once its organisation has its employer or agency record."""
    if not _signed_in(user):
        return False
    if user.role == Role.MINISTRY_OFFICER:
        return True
    if user.role == Role.EMBASSY_OFFICER:
        return bool(user.organisation_id and user.organisation.country_id)
    return own_employer(user) is not None or own_agency(user) is not None


def _may_hold(user: User, vacancy: Vacancy) -> bool:
    """Whether `user` may keep a vacancy with these particulars (create it, or save it so)."""
    if user.role == Role.MINISTRY_OFFICER:
        return True
    if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
        home = user.organisation.country_id
        employer = vacancy.employer if vacancy.employer_id else None
        return vacancy.country_id == home and (employer is None or employer.country_id == home)
    return OWNER in _capacities(user, vacancy)


def vacancy_moves_for(user: User, vacancy: Vacancy) -> list[Transition]:
    """The moves `user` may make on `vacancy` from its current status."""
    capacities = _capacities(user, vacancy)
    return [t for t in vacancy.allowed_transitions() if MOVERS[t.name] & capacities]


def vacancy_editable(user: User, vacancy: Vacancy) -> bool:
    return (
        vacancy.status == VS.DRAFT
        and Vacancy.objects.editable_by(user).filter(pk=vacancy.pk).exists()
    )


# Rules -----------------------------------------------------------------------------------------


def vacancy_field_errors(
    *,
    occupation_code: str | None,
    positions: int | None,
    wage_period: str | None,
    hours_per_week: int | None,
    start_date: datetime.date | None,
    application_deadline: datetime.date | None,
) -> dict[str, ValidationError]:
    """The rules on a vacancy's own fields, with messages clearer than the model's. The form
    and vacancy_save() both apply them."""
    errors: dict[str, ValidationError] = {}
    if occupation_code:
        level = Occupation.objects.filter(pk=occupation_code).values_list("level", flat=True)
        if not level:
            errors["occupation"] = ValidationError(
                Rule.UNKNOWN_OCCUPATION,
                code="unknown_occupation",
                params={"value": occupation_code},
            )
        elif level[0] != IscoLevel.UNIT:
            errors["occupation"] = ValidationError(
                Rule.NOT_A_UNIT_GROUP, code="not_a_unit_group", params={"value": occupation_code}
            )
    if positions is not None and positions < 1:
        errors["positions"] = ValidationError(Rule.POSITIONS_BELOW_ONE, code="positions")
    if wage_period == WagePeriod.HOUR and not hours_per_week:
        errors["hours_per_week"] = ValidationError(Rule.HOURS_FOR_HOURLY_WAGE, code="hours")
    if start_date and application_deadline and start_date < application_deadline:
        errors["start_date"] = ValidationError(
            Rule.START_BEFORE_DEADLINE,
            code="start_before_deadline",
            params={"start": start_date.isoformat(), "deadline": application_deadline.isoformat()},
        )
    return errors


def language_errors(languages: Sequence[VacancyLanguage]) -> list[ValidationError]:
    errors = []
    known = set(
        Language.objects.filter(pk__in=[row.language_id for row in languages]).values_list(
            "pk", flat=True
        )
    )
    seen: set[str] = set()
    for row in languages:
        if row.language_id not in known:
            errors.append(
                ValidationError(
                    Rule.UNKNOWN_LANGUAGE,
                    code="unknown_language",
                    params={"value": row.language_id},
                )
            )
        elif row.language_id in seen:
            errors.append(
                ValidationError(
                    Rule.LANGUAGE_REPEATED,
                    code="language_repeated",
                    params={"value": row.language_id},
                )
            )
        seen.add(row.language_id)
        if row.min_level_id not in CEFR_LEVELS:
            errors.append(
                ValidationError(
                    Rule.CEFR_OUT_OF_RANGE, code="cefr", params={"value": row.min_level_id}
                )
            )
    return errors


def _agreement_error(vacancy: Vacancy) -> ValidationError | None:
    if not vacancy.agreement_id:
        return None
    partner = vacancy.agreement.partner.country
    # An EU framework covers vacancies in its member states; Gza does not list the members.
    if partner.code != vacancy.country_id and not partner.is_union:
        return ValidationError(
            Rule.AGREEMENT_OTHER_COUNTRY, code="agreement_country", params={"partner": partner}
        )
    return None


# Minimum wage ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinimumWageCheck:
    """A vacancy's wage against the destination's newest recorded statutory minimum wage,
    converted to the vacancy's currency and period where that is possible."""

    outcome: MinimumWageOutcome
    indicator: CountryIndicator | None = None
    # The minimum in the vacancy's currency and period, rounded to the cent for display.
    minimum: Decimal | None = None
    reason: str = ""

    @property
    def refused(self) -> bool:
        return self.outcome == MinimumWageOutcome.BELOW


def minimum_wage_of(country_id: str) -> CountryIndicator | None:
    """The newest statutory minimum wage recorded for a country (by its period, then by when it
    was recorded)."""
    return (
        CountryIndicator.objects.filter(
            country_id=country_id, kind=IndicatorKind.MINIMUM_WAGE, value__isnull=False
        )
        .order_by("-period", "-created_at", "-pk")
        .first()
    )


def _indicator_period(unit: str) -> str | None:
    """The pay period an indicator's free-text unit names. A unit left empty is taken as
    monthly, the basis on which statutory minimum wages are set."""
    text = unit.casefold()
    if "hour" in text or "საათ" in text:
        return WagePeriod.HOUR
    if not text.strip() or "month" in text or "თვ" in text:
        return WagePeriod.MONTH
    return None


def minimum_wage_check(vacancy: Vacancy) -> MinimumWageCheck:
    """Compare the wage with the minimum wage in the same currency and period: hourly and
    monthly pay convert with the vacancy's hours per week × 52 / 12. A minimum in another
    currency, without a currency or in another unit cannot be compared: the outcome says so and
    the vacancy page shows it as a warning, but nothing is refused on it."""
    indicator = minimum_wage_of(vacancy.country_id)
    if not indicator:
        return MinimumWageCheck(MinimumWageOutcome.NO_MINIMUM)
    not_comparable = MinimumWageOutcome.NOT_COMPARABLE
    period = _indicator_period(indicator.unit)
    if period is None:
        reason = Rule.UNKNOWN_UNIT % {"unit": indicator.unit}
        return MinimumWageCheck(not_comparable, indicator, reason=reason)
    currency = indicator.currency.strip().upper()
    if not currency:
        return MinimumWageCheck(not_comparable, indicator, reason=str(Rule.NO_CURRENCY))
    if currency != vacancy.wage_currency:
        reason = Rule.OTHER_CURRENCY % {"minimum": currency, "wage": vacancy.wage_currency}
        return MinimumWageCheck(not_comparable, indicator, reason=reason)
    # Fractions keep the conversion exact: a wage of exactly the minimum is never refused for a
    # rounding digit.
    minimum = Fraction(indicator.value)
    if period != vacancy.wage_period:
        if not vacancy.hours_per_week:
            return MinimumWageCheck(not_comparable, indicator, reason=str(Rule.NO_HOURS))
        hours_per_month = Fraction(vacancy.hours_per_week * 52, 12)
        minimum = (
            minimum / hours_per_month if period == WagePeriod.MONTH else minimum * hours_per_month
        )
    outcome = (
        MinimumWageOutcome.MEETS
        if Fraction(Decimal(vacancy.wage_amount)) >= minimum
        else MinimumWageOutcome.BELOW
    )
    shown = (Decimal(minimum.numerator) / Decimal(minimum.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return MinimumWageCheck(outcome, indicator, minimum=shown)


def _minimum_wage_error(vacancy: Vacancy, check: MinimumWageCheck) -> ValidationError:
    return ValidationError(
        Rule.BELOW_MINIMUM_WAGE,
        code="below_minimum_wage",
        params={
            "wage": money(vacancy.wage_amount, vacancy.wage_currency),
            "minimum": money(check.minimum, vacancy.wage_currency),
            "period": WagePeriod(vacancy.wage_period).label,
            "country": vacancy.country.name,
        },
    )


# ESCO skills ----------------------------------------------------------------------------------

ESCO_SKILL_URI = "http://data.europa.eu/esco/skill/"
# An ESCO concept's code: the UUID that ends its URI.
_ESCO_CODE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def esco_skill_code(skill: EscoSkill) -> str:
    return skill.uri.rsplit("/", 1)[-1]


def esco_skills_named(
    references: Iterable[str], *, labels: bool = True
) -> tuple[list[EscoSkill], list[ValidationError]]:
    """The ESCO skills named by `references` (each a skill's URI, its code — the UUID ending the
    URI — or, if `labels`, its exact English preferred label in any case), in the order given
    and without repeats, and an error naming each reference that matches no skill (or, for a
    label, several). Blank references are skipped."""
    wanted = [text.strip() for text in references if text and text.strip()]
    uris = {}
    for text in wanted:
        if text.lower().startswith("http"):
            uris[text] = text
        elif _ESCO_CODE.fullmatch(text):
            uris[text] = ESCO_SKILL_URI + text.lower()
    by_uri = {s.uri: s for s in EscoSkill.objects.filter(uri__in=set(uris.values()))}
    by_label: dict[str, list[EscoSkill]] = {}
    named = [text for text in wanted if text not in uris]
    if labels and named:
        condition = Q()
        for text in named:
            condition |= Q(label_en__iexact=text)
        for skill in EscoSkill.objects.filter(condition):
            by_label.setdefault(skill.label_en.lower(), []).append(skill)
    skills: dict[int, EscoSkill] = {}
    errors = []
    for text in wanted:
        if text in uris:
            found = [by_uri[uris[text]]] if uris[text] in by_uri else []
        else:
            found = by_label.get(text.lower(), []) if labels else []
        if len(found) == 1:
            skills.setdefault(found[0].pk, found[0])
        elif found:
            errors.append(
                ValidationError(
                    Rule.AMBIGUOUS_SKILL, code="ambiguous_skill", params={"value": text}
                )
            )
        else:
            errors.append(
                ValidationError(Rule.UNKNOWN_SKILL, code="unknown_skill", params={"value": text})
            )
    return list(skills.values()), errors


def skill_errors(skills: Sequence[EscoSkill]) -> list[ValidationError]:
    """An error for each skill that is not a stored ESCO skill."""
    known = set(
        EscoSkill.objects.filter(pk__in=[s.pk for s in skills if s.pk]).values_list("pk", flat=True)
    )
    return [
        ValidationError(
            Rule.UNKNOWN_SKILL, code="unknown_skill", params={"value": skill.uri or str(skill)}
        )
        for skill in skills
        if skill.pk not in known
    ]


def essential_skills_for(occupation_code: str | None) -> list[EscoSkill]:
    """The essential skills of the ESCO occupations in an ISCO-08 unit group: a hint for the
    skills a vacancy in it may ask for."""
    if not occupation_code:
        return []
    return list(
        EscoSkill.objects.filter(
            occupation_links__occupation__isco_id=occupation_code,
            occupation_links__relation=SkillRelation.ESSENTIAL,
        )
        .distinct()
        .order_by("label_en")
        .only("uri", "label_en")
    )


def _skills_text(skills: Iterable[EscoSkill]) -> str:
    return "; ".join(sorted(skill.uri for skill in skills))


# Saving a draft --------------------------------------------------------------------------------


def _languages_text(rows: Sequence[VacancyLanguage]) -> str:
    return ", ".join(sorted(f"{row.language_id}:{row.min_level_id}" for row in rows))


def _content_errors(
    vacancy: Vacancy, languages: Sequence[VacancyLanguage]
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {
        field: [error]
        for field, error in vacancy_field_errors(
            occupation_code=vacancy.occupation_id,
            positions=vacancy.positions,
            wage_period=vacancy.wage_period,
            hours_per_week=vacancy.hours_per_week,
            start_date=vacancy.start_date,
            application_deadline=vacancy.application_deadline,
        ).items()
    }
    if found := language_errors(languages):
        errors["languages"] = found
    try:
        vacancy.full_clean(exclude=list(errors))
    except ValidationError as error:
        for field, messages in error.error_dict.items():
            errors.setdefault(field, []).extend(messages)
    if "agreement" not in errors and (error := _agreement_error(vacancy)):
        errors["agreement"] = [error]
    wage_fields = {"wage_amount", "wage_currency", "wage_period", "hours_per_week", "country"}
    if not wage_fields & set(errors):
        check = minimum_wage_check(vacancy)
        if check.refused:
            errors["wage_amount"] = [_minimum_wage_error(vacancy, check)]
    return errors


def vacancy_save(
    *,
    actor: User,
    vacancy: Vacancy,
    languages: Sequence[VacancyLanguage],
    skills: Sequence[EscoSkill] | None = None,
) -> Vacancy:
    """Create or update a draft vacancy with its language requirements and, unless `skills` is
    None (which leaves them as they are), its ESCO skills, all or nothing. An employer's or an
    agency's user saves its own vacancies (a new one is made its own); an embassy those in its
    country; the ministry any. Only drafts are edited."""
    if vacancy.pk is None and actor.role == Role.EMPLOYER and not vacancy.employer_id:
        vacancy.employer = own_employer(actor)
    if vacancy.pk is None and actor.role == Role.AGENCY and not vacancy.agency_id:
        vacancy.agency = own_agency(actor)
    with transaction.atomic():
        before = None
        if vacancy.pk:
            # Row lock: a submission made meanwhile is not overwritten by a stale form.
            current = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
            if not Vacancy.objects.editable_by(actor).filter(pk=current.pk).exists():
                raise DomainError(DomainError.NOT_PERMITTED)
            if current.status != VS.DRAFT:
                raise ValidationError(
                    Rule.ONLY_DRAFTS_EDITED,
                    code="not_a_draft",
                    params={"status": current.get_status_display()},
                )
            before = snapshot(current, VACANCY_FIELDS)
            before["languages"] = _languages_text(list(current.languages.all()))
            before["skills"] = _skills_text(current.skills.all())
            vacancy.status, vacancy.status_since = current.status, current.status_since
            vacancy.created_by_id = current.created_by_id
        else:
            vacancy.status, vacancy.status_since = VS.DRAFT, timezone.localdate()
            vacancy.created_by = actor
        if not (_signed_in(actor) and _may_hold(actor, vacancy)):
            raise DomainError(DomainError.NOT_PERMITTED)
        errors = _content_errors(vacancy, languages)
        if skills is not None and (found := skill_errors(skills)):
            errors["skills"] = found
        if errors:
            raise ValidationError(errors)
        vacancy.save()
        vacancy.languages.all().delete()
        for row in languages:
            row.vacancy = vacancy
        VacancyLanguage.objects.bulk_create(languages)
        if skills is not None:
            vacancy.skills.set(skills)
        if before is None:
            VacancyEvent.objects.create(
                vacancy=vacancy,
                transition="create",
                to_status=VS.DRAFT,
                occurred_on=vacancy.status_since,
                actor=actor,
            )
            audit_record(
                actor=actor,
                verb=AuditVerb.CREATED,
                target=vacancy,
                payload={
                    "country": vacancy.country_id,
                    "occupation": vacancy.occupation_id,
                    "skills": _skills_text(skills or []),
                },
            )
        else:
            after = snapshot(vacancy, VACANCY_FIELDS)
            after["languages"] = _languages_text(languages)
            after["skills"] = before["skills"] if skills is None else _skills_text(skills)
            changes = {
                name: [before[name], after[name]] for name in before if before[name] != after[name]
            }
            if changes:
                audit_record(
                    actor=actor,
                    verb=AuditVerb.UPDATED,
                    target=vacancy,
                    payload={"changes": changes},
                )
    return vacancy


# The lifecycle ---------------------------------------------------------------------------------


def _quota_errors(vacancy: Vacancy, agreement: Agreement) -> list[ValidationError]:
    quotas = list(
        agreement.quotas.filter(
            Q(occupation__isnull=True) | Q(occupation_id=vacancy.occupation_id)
        ).select_related("occupation")
    )
    if not quotas:
        return []
    if vacancy.start_date is None:
        return [ValidationError(Rule.QUOTA_NEEDS_START_DATE, code="quota_needs_start_date")]
    year = vacancy.start_date.year
    errors = []
    for quota in quotas:
        if quota.year != year:
            continue
        left = quota.places - agreement.quota_offered(year=year, occupation_id=quota.occupation_id)
        if vacancy.positions > left:
            errors.append(
                ValidationError(
                    Rule.BEYOND_QUOTA,
                    code="beyond_quota",
                    params={
                        "positions": vacancy.positions,
                        "year": year,
                        "scope": quota.occupation or _("all occupations"),
                        "left": max(left, 0),
                    },
                )
            )
    return errors


def _move_errors(vacancy: Vacancy, move: Transition) -> tuple[list[ValidationError], dict]:
    """What stands in the way of `move`, and what to note in the audit trail."""
    errors: list[ValidationError] = []
    notes: dict = {}
    if move.name not in {"submit", "verify", "publish", "reopen"}:
        return errors, notes
    today = timezone.localdate()
    if vacancy.application_deadline and vacancy.application_deadline < today:
        errors.append(
            ValidationError(
                Rule.DEADLINE_PASSED,
                code="deadline_passed",
                params={"date": vacancy.application_deadline.isoformat()},
            )
        )
    # The minimum wage may have been recorded or raised since the draft was saved.
    check = minimum_wage_check(vacancy)
    notes["minimum_wage"] = check.outcome.value
    if check.refused:
        errors.append(_minimum_wage_error(vacancy, check))
    if move.name not in {"publish", "reopen"}:
        return errors, notes
    employer = vacancy.employer
    if employer is not None and employer.vetting_status != VettingStatus.VERIFIED:
        errors.append(
            ValidationError(
                Rule.EMPLOYER_NOT_VERIFIED,
                code="employer_not_verified",
                params={"employer": employer.name, "status": employer.get_vetting_status_display()},
            )
        )
    agency = vacancy.agency
    if agency is not None and agency.status != CertificationStatus.CERTIFIED:
        errors.append(
            ValidationError(
                Rule.AGENCY_NOT_CERTIFIED,
                code="agency_not_certified",
                params={"agency": agency.name, "status": agency.get_status_display()},
            )
        )
    if vacancy.agreement_id:
        # Row lock on the agreement: two vacancies published at once under one quota cannot
        # both count the places left before the other takes them.
        agreement = Agreement.objects.select_for_update().get(pk=vacancy.agreement_id)
        if agreement.status != AgreementStatus.IN_FORCE:
            errors.append(
                ValidationError(
                    Rule.AGREEMENT_NOT_IN_FORCE,
                    code="agreement_not_in_force",
                    params={"status": agreement.get_status_display()},
                )
            )
        if move.name == "publish":
            errors.extend(_quota_errors(vacancy, agreement))
    return errors, notes


def vacancy_move(*, actor: User, vacancy: Vacancy, transition: str, reason: str = "") -> Vacancy:
    """Move a vacancy along its lifecycle (submit, send back, verify, publish, close, reopen,
    fill, cancel), log the move and audit it. Who may make which move is MOVERS; a move not
    possible from the current status is refused naming that status."""
    with transaction.atomic():
        # Row lock: two people moving one vacancy cannot both start from the same status; the
        # second is checked against the first one's move.
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        if not Vacancy.objects.visible_to(actor).filter(pk=vacancy.pk).exists():
            raise DomainError(DomainError.NOT_PERMITTED)
        move = VACANCY_LIFECYCLE.transitions.get(transition)
        if move is None or vacancy.status not in move.sources:
            raise DomainError(
                Rule.MOVE_NOT_ALLOWED,
                status=vacancy.get_status_display(),
                move=move.label if move else transition,
            )
        if not MOVERS[move.name] & _capacities(actor, vacancy):
            raise DomainError(DomainError.NOT_PERMITTED)
        if move.needs_reason and not reason.strip():
            raise ValidationError({"reason": Rule.REASON_REQUIRED}, code="required")
        errors, notes = _move_errors(vacancy, move)
        if errors:
            raise ValidationError(errors)
        today = timezone.localdate()
        VacancyEvent.objects.create(
            vacancy=vacancy,
            transition=move.name,
            from_status=vacancy.status,
            to_status=move.target,
            occurred_on=today,
            reason=reason.strip(),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=vacancy,
            payload={
                "changes": {"status": [vacancy.status, move.target]},
                "transition": move.name,
                **notes,
            },
        )
        vacancy.status = move.target
        vacancy.status_since = today
        vacancy.save(update_fields=["status", "status_since", "updated_at"])
    return vacancy


# Search for the portal -------------------------------------------------------------------------


def published_vacancies(
    *,
    country: str | None = None,
    occupation_query: str | None = None,
    min_wage: Decimal | int | None = None,
    currency: str | None = None,
    starts_after: datetime.date | None = None,
    agreement: Agreement | int | None = None,
) -> VacancyQuerySet:
    """Published vacancies whose application deadline has not passed, for the portal.

    `occupation_query`: every word must match the vacancy's title in either language or its
    occupation's ISCO-08 titles and alternative titles (Georgian, English, Russian); a word of
    digits matches an ISCO-08 code prefix. Exact titles come first, then title matches, then
    occupation matches; PostgreSQL also finds near spellings (trigram word similarity) and
    ranks by similarity. `min_wage` is a monthly amount, compared with the wage converted to a
    month (hourly × hours per week × 52 / 12), in the vacancy's own currency unless `currency`
    restricts the currency — Gza keeps no exchange rates. `starts_after`: start date on or after
    it. `agreement`: under that agreement or scheme."""
    vacancies = (
        Vacancy.objects.open_for_applications()
        .select_related("employer", "agency", "country", "occupation", "agreement")
        .prefetch_related("languages__language", "languages__min_level")
    )
    if country:
        vacancies = vacancies.filter(country_id=str(getattr(country, "pk", country)).upper())
    if agreement:
        vacancies = vacancies.filter(agreement_id=getattr(agreement, "pk", agreement))
    if starts_after:
        vacancies = vacancies.filter(start_date__gte=starts_after)
    if currency:
        vacancies = vacancies.filter(wage_currency=currency.upper())
    if min_wage is not None:
        # Compared as twelve months, so neither side needs a division (SQLite would truncate it).
        hours = Coalesce("hours_per_week", DEFAULT_HOURS, output_field=IntegerField())
        yearly = Case(
            When(wage_period=WagePeriod.HOUR, then=F("wage_amount") * hours * 52),
            default=F("wage_amount") * 12,
            output_field=DecimalField(max_digits=20, decimal_places=2),
        )
        vacancies = vacancies.alias(yearly=yearly).filter(yearly__gte=Decimal(min_wage) * 12)
    text = normalise_for_search(occupation_query or "")
    if not text:
        return vacancies.order_by(
            F("application_deadline").asc(nulls_last=True),
            F("start_date").asc(nulls_last=True),
            "pk",
        )
    words = text.split(" ")
    in_title, in_occupation, codes = Q(), Q(), Q()
    for word in words:
        if word.isdigit():
            codes &= Q(occupation__code__startswith=word)
        else:
            in_title &= Q(search_text__contains=word)
            in_occupation &= Q(occupation__search_text__contains=word)
    raw = " ".join((occupation_query or "").split())
    ranks = [When(Q(title_ka__iexact=raw) | Q(title_en__iexact=raw), then=Value(3))]
    if in_title:
        ranks += [When(in_title, then=Value(2)), When(in_occupation, then=Value(1))]
    rank = Case(*ranks, default=Value(0), output_field=IntegerField())
    matches = codes & (in_title | in_occupation) if in_title else codes
    order = ["-rank"]
    if connection.vendor == "postgresql" and in_title:
        # Imported here: the module needs psycopg's PostgreSQL types only on PostgreSQL.
        from django.contrib.postgres.search import TrigramWordSimilarity

        # Each word must be found, exactly or as a near spelling, in the titles or in the
        # occupation's titles: a near spelling never stands in for a missing word.
        fuzzy, similarities = Q(), []
        for number, word in enumerate(w for w in words if not w.isdigit()):
            name = f"similarity_{number}"
            vacancies = vacancies.annotate(
                **{
                    name: Greatest(
                        TrigramWordSimilarity(word, "search_text"),
                        TrigramWordSimilarity(word, "occupation__search_text"),
                    )
                }
            )
            fuzzy &= (
                Q(search_text__contains=word)
                | Q(occupation__search_text__contains=word)
                | Q(**{f"{name}__gte": FUZZY_MATCH})
            )
            similarities.append(F(name))
        vacancies = vacancies.annotate(similarity=sum(similarities[1:], start=similarities[0]))
        matches = codes & fuzzy
        order.append("-similarity")
    return (
        vacancies.filter(matches)
        .annotate(rank=rank)
        .order_by(*order, F("application_deadline").asc(nulls_last=True), "pk")
    )
