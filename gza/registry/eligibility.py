"""The eligibility self-check: the rules of a vacancy or a scheme, and what a person lacks.

Rules come from three places, all checked for a vacancy:
1. the vacancy's own requirements (its languages with a minimum CEFR level, years of experience
   in its occupation, minimum ISCED level, driving licence categories), derived on the fly;
2. EligibilityRule rows on the vacancy;
3. EligibilityRule rows on the agreement or scheme the vacancy is published under.

`check(person, vacancy)` answers each rule with PASSED, FAILED or UNKNOWN (the profile lacks
the data to tell) and a sentence in the page's language saying exactly what is missing.

Protected attributes: an age range is a legal condition of some schemes (a bilateral agreement
may set 21-50 years, say), so it is allowed here as an eligibility filter, stated openly to the
person. It is never a score: nothing in this module ranks people, and age, sex or any other
protected attribute must never enter a match or ranking score (gza/matching). Sex is not a rule
kind at all.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb
from gza.demand.enums import DrivingLicence
from gza.registry.enums import JobSeekerDocumentKind
from gza.registry.models import JobSeeker
from gza.registry.validators import age_on


class RuleKind(models.TextChoices):
    AGE = "age", _("age range")
    DOCUMENT = "document", _("document required")
    LANGUAGE = "language", _("minimum language level")
    EXPERIENCE = "experience", _("years of experience")
    DRIVING_LICENCE = "driving_licence", _("driving licence")
    NO_SCHENGEN_STAY = "no_schengen_stay", _("no recent stay in the Schengen area")
    EDUCATION = "education", _("minimum education (ISCED)")
    PASSPORT_VALIDITY = "passport_validity", _("passport valid after the start date")


class Outcome(models.TextChoices):
    PASSED = "passed", _("met")
    FAILED = "failed", _("not met")
    UNKNOWN = "unknown", _("unknown: your profile lacks the data")


class RuleSource(models.TextChoices):
    VACANCY_REQUIREMENT = "vacancy_requirement", _("the vacancy's requirements")
    VACANCY = "vacancy", _("a condition of the vacancy")
    AGREEMENT = "agreement", _("a condition of the agreement or scheme")


# Which fields each kind needs; clean() refuses a rule missing one.
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    RuleKind.AGE: (),  # min_age or max_age, checked apart
    RuleKind.DOCUMENT: ("document_kind",),
    RuleKind.LANGUAGE: ("language", "cefr_level"),
    RuleKind.EXPERIENCE: ("years",),
    RuleKind.DRIVING_LICENCE: ("driving_licence",),
    RuleKind.NO_SCHENGEN_STAY: ("months",),
    RuleKind.EDUCATION: ("isced_level",),
    RuleKind.PASSPORT_VALIDITY: ("months",),
}

# A licence of a higher category covers the lower ones it requires (Directive 2006/126/EC):
# someone holding CE may drive what C, BE and B allow.
LICENCE_COVERS: dict[str, set[str]] = {
    "A": {"A2", "A1", "AM"},
    "A2": {"A1", "AM"},
    "A1": {"AM"},
    "B": {"AM"},
    "BE": {"B", "AM"},
    "C1": {"B", "AM"},
    "C1E": {"C1", "BE", "B", "AM"},
    "C": {"C1", "B", "AM"},
    "CE": {"C", "C1", "C1E", "BE", "B", "AM"},
    "D1": {"B", "AM"},
    "D1E": {"D1", "BE", "B", "AM"},
    "D": {"D1", "B", "AM"},
    "DE": {"D", "D1", "D1E", "BE", "B", "AM"},
}


class EligibilityRule(models.Model):
    """A condition of a vacancy or of an agreement or scheme (exactly one of the two)."""

    vacancy = models.ForeignKey(
        "demand.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="eligibility_rules",
    )
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("agreement or scheme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="eligibility_rules",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    document_kind = models.CharField(
        _("document"), max_length=20, choices=JobSeekerDocumentKind.choices, blank=True
    )
    language = models.ForeignKey(
        "taxonomy.Language",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cefr_level = models.ForeignKey(
        "taxonomy.CefrLevel",
        verbose_name=_("minimum CEFR level"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    years = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("in occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": 4},
        related_name="+",
        help_text=_("Leave empty for the vacancy's own occupation."),
    )
    driving_licence = models.CharField(
        _("driving licence category"), max_length=3, choices=DrivingLicence.choices, blank=True
    )
    months = models.PositiveSmallIntegerField(
        _("months"),
        null=True,
        blank=True,
        help_text=_(
            "For the Schengen rule: no stay in the last N months. For the passport rule: valid "
            "at least N months after the start date."
        ),
    )
    isced_level = models.ForeignKey(
        "taxonomy.IscedLevel",
        verbose_name=_("minimum education (ISCED)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        app_label = "registry"
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(vacancy__isnull=False) & models.Q(agreement__isnull=True))
                | (models.Q(vacancy__isnull=True) & models.Q(agreement__isnull=False)),
                name="eligibility_rule_vacancy_or_agreement",
                violation_error_message=_(
                    "A rule belongs to a vacancy or to an agreement, not both."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="eligibility_rule_age_range_in_order",
                violation_error_message=_("The minimum age cannot be above the maximum age."),
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def clean(self) -> None:
        super().clean()
        missing = [
            name for name in REQUIRED_FIELDS.get(self.kind, ()) if not getattr(self, name, None)
        ]
        if self.kind == RuleKind.EXPERIENCE and self.years == 0:
            missing.remove("years")
        if self.kind == RuleKind.AGE and self.min_age is None and self.max_age is None:
            missing.append("min_age")
        if missing:
            raise ValidationError(
                {
                    name: ValidationError(
                        _("This kind of rule needs this value."), code="rule_value_missing"
                    )
                    for name in missing
                }
            )

    def describe(self) -> str:
        """The rule as one short phrase, in the active language."""
        match self.kind:
            case RuleKind.AGE:
                if self.min_age is not None and self.max_age is not None:
                    return _t("Aged %(min)s to %(max)s") % {
                        "min": self.min_age,
                        "max": self.max_age,
                    }
                if self.min_age is not None:
                    return _t("Aged at least %(min)s") % {"min": self.min_age}
                return _t("Aged at most %(max)s") % {"max": self.max_age}
            case RuleKind.DOCUMENT:
                return _t("Document: %(kind)s") % {"kind": self.get_document_kind_display()}
            case RuleKind.LANGUAGE:
                return _t("%(language)s at %(level)s or above") % {
                    "language": self.language.name,
                    "level": self.cefr_level_id,
                }
            case RuleKind.EXPERIENCE:
                if self.occupation_id:
                    return _t("%(years)s years of experience as %(occupation)s") % {
                        "years": self.years,
                        "occupation": self.occupation.title,
                    }
                return _t("%(years)s years of experience in the vacancy's occupation") % {
                    "years": self.years
                }
            case RuleKind.DRIVING_LICENCE:
                return _t("Driving licence, category %(category)s") % {
                    "category": self.driving_licence
                }
            case RuleKind.NO_SCHENGEN_STAY:
                return _t("No stay in the Schengen area in the last %(months)s months") % {
                    "months": self.months
                }
            case RuleKind.EDUCATION:
                return _t("Education at ISCED level %(level)s or above") % {
                    "level": self.isced_level_id
                }
            case RuleKind.PASSPORT_VALIDITY:
                return _t("Passport valid %(months)s months after the start date") % {
                    "months": self.months
                }
        return self.get_kind_display()


@dataclass(frozen=True)
class RuleResult:
    rule: EligibilityRule
    source: str
    outcome: str
    message: str

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED

    @property
    def source_label(self) -> str:
        return str(RuleSource(self.source).label)

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` (negative to go back), on the last day of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has at least 28 days


class _Profile:
    """The parts of a person's profile the rules read, each loaded once and only if needed."""

    def __init__(self, person: JobSeeker) -> None:
        self.person = person

    @cached_property
    def languages(self) -> dict[str, tuple[int, str]]:
        return {
            row.language_id: (row.level.rank, row.level_id)
            for row in self.person.language_skills.select_related("level")
        }

    @cached_property
    def document_kinds(self) -> set[str]:
        return set(self.person.documents.values_list("kind", flat=True))

    @cached_property
    def declared_years(self) -> dict[str, int]:
        return dict(self.person.sought_occupations.values_list("occupation_id", "years_experience"))

    @cached_property
    def jobs(self) -> list[tuple[str | None, datetime.date, datetime.date | None]]:
        return list(
            self.person.work_experience.values_list("occupation_id", "start_date", "end_date")
        )

    @cached_property
    def highest_isced(self) -> int | None:
        levels = [
            int(code) for code in self.person.education.values_list("isced_level_id", flat=True)
        ]
        return max(levels) if levels else None

    def years_in(self, occupation_id: str, today: datetime.date) -> int | None:
        """Years of experience in an occupation: what the person declared for it or, if more,
        the whole years of the jobs recorded in it. None when the profile says nothing."""
        declared = self.declared_years.get(occupation_id)
        days = sum(
            ((end or today) - start).days
            for code, start, end in self.jobs
            if code == occupation_id and (end or today) >= start
        )
        worked = (
            int(days // 365.25) if any(code == occupation_id for code, *_ in self.jobs) else None
        )
        known = [years for years in (declared, worked) if years is not None]
        return max(known) if known else None


def implicit_rules(vacancy) -> list[EligibilityRule]:
    """The vacancy's own requirements as (unsaved) rules."""
    rules = [
        EligibilityRule(
            vacancy=vacancy,
            kind=RuleKind.LANGUAGE,
            language=row.language,
            cefr_level=row.min_level,
        )
        for row in vacancy.languages.all()
    ]
    if vacancy.experience_years:
        rules.append(
            EligibilityRule(
                vacancy=vacancy,
                kind=RuleKind.EXPERIENCE,
                years=vacancy.experience_years,
                occupation=vacancy.occupation,
            )
        )
    if vacancy.isced_level_id:
        rules.append(
            EligibilityRule(
                vacancy=vacancy, kind=RuleKind.EDUCATION, isced_level=vacancy.isced_level
            )
        )
    rules.extend(
        EligibilityRule(vacancy=vacancy, kind=RuleKind.DRIVING_LICENCE, driving_licence=category)
        for category in vacancy.driving_licences.split(",")
        if category
    )
    return rules


RULE_RELATIONS = ("language", "cefr_level", "occupation", "isced_level")


def rules_for(vacancy) -> list[tuple[str, EligibilityRule]]:
    """Every rule a vacancy's applicants must meet, with where it comes from."""
    rules: list[tuple[str, EligibilityRule]] = [
        (RuleSource.VACANCY_REQUIREMENT, rule) for rule in implicit_rules(vacancy)
    ]
    owners = models.Q(vacancy=vacancy)
    if vacancy.agreement_id:
        owners |= models.Q(agreement_id=vacancy.agreement_id)
    for rule in EligibilityRule.objects.filter(owners).select_related(*RULE_RELATIONS):
        rules.append((RuleSource.VACANCY if rule.vacancy_id else RuleSource.AGREEMENT, rule))
    return rules


def check(person: JobSeeker, vacancy, *, today: datetime.date | None = None) -> list[RuleResult]:
    """Check a person against every rule of a vacancy (see the module's docstring).

    Pass a vacancy fetched with its occupation and with `languages__language` and
    `languages__min_level` prefetched (as `published_vacancies()` does) to keep the query count
    at one for the rules plus one per part of the profile that the rules read."""
    today = today or timezone.localdate()
    profile = _Profile(person)
    return [
        _evaluate(rule, source=source, profile=profile, vacancy=vacancy, today=today)
        for source, rule in rules_for(vacancy)
    ]


def summary(results: Iterable[RuleResult]) -> str:
    """The overall outcome: FAILED if any rule fails, else UNKNOWN if any is unknown."""
    outcomes = {result.outcome for result in results}
    if Outcome.FAILED in outcomes:
        return Outcome.FAILED
    if Outcome.UNKNOWN in outcomes:
        return Outcome.UNKNOWN
    return Outcome.PASSED


def _evaluate(
    rule: EligibilityRule, *, source: str, profile: _Profile, vacancy, today: datetime.date
) -> RuleResult:
    outcome, message = _JUDGES[rule.kind](rule, profile, vacancy, today)
    return RuleResult(rule=rule, source=source, outcome=outcome, message=message)


Verdict = tuple[str, str]


def _age(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    # Age counts on the day the job starts, the day scheme conditions speak of.
    day = vacancy.start_date or today
    age = age_on(profile.person.birth_date, day)
    params = {"age": age, "min": rule.min_age, "max": rule.max_age}
    if rule.min_age is not None and age < rule.min_age:
        return Outcome.FAILED, _t(
            "You must be at least %(min)s when the job starts; you will be %(age)s."
        ) % params
    if rule.max_age is not None and age > rule.max_age:
        return Outcome.FAILED, _t(
            "You must be at most %(max)s when the job starts; you will be %(age)s."
        ) % params
    return Outcome.PASSED, _t("Your age when the job starts (%(age)s) is within the range.") % (
        params
    )


def _document(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    params = {"document": rule.get_document_kind_display()}
    if rule.document_kind in profile.document_kinds:
        return Outcome.PASSED, _t("You have uploaded your %(document)s.") % params
    return Outcome.FAILED, _t(
        "You need to upload your %(document)s; there is none on your profile."
    ) % params


def _language(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    params = {"language": rule.language.name, "level": rule.cefr_level_id}
    known = profile.languages.get(rule.language_id)
    if known is None:
        return Outcome.UNKNOWN, _t(
            "You need %(language)s at %(level)s; your profile does not mention %(language)s."
        ) % params
    rank, code = known
    params["yours"] = code
    if rank < rule.cefr_level.rank:
        return Outcome.FAILED, _t(
            "You need %(language)s at %(level)s; your profile says %(yours)s."
        ) % params
    return Outcome.PASSED, _t(
        "You need %(language)s at %(level)s; your profile says %(yours)s."
    ) % params


def _experience(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    occupation = rule.occupation if rule.occupation_id else vacancy.occupation
    params = {"years": rule.years, "occupation": occupation.title}
    years = profile.years_in(occupation.pk, today)
    if years is None:
        return Outcome.UNKNOWN, _t(
            "You need %(years)s years of experience as %(occupation)s; your profile has no "
            "experience in this occupation."
        ) % params
    params["yours"] = years
    if years < rule.years:
        return Outcome.FAILED, _t(
            "You need %(years)s years of experience as %(occupation)s; your profile shows "
            "%(yours)s."
        ) % params
    return Outcome.PASSED, _t(
        "You need %(years)s years of experience as %(occupation)s; your profile shows %(yours)s."
    ) % params


def _driving(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    held = {c for c in profile.person.driving_licences.split(",") if c}
    params = {"category": rule.driving_licence, "yours": ", ".join(sorted(held))}
    if not held:
        return Outcome.UNKNOWN, _t(
            "You need a category %(category)s driving licence; your profile lists no driving "
            "licence."
        ) % params
    covered = held | {lower for category in held for lower in LICENCE_COVERS.get(category, ())}
    if rule.driving_licence in covered:
        return Outcome.PASSED, _t(
            "You need a category %(category)s driving licence; you hold %(yours)s."
        ) % params
    return Outcome.FAILED, _t(
        "You need a category %(category)s driving licence; your profile lists %(yours)s."
    ) % params


def _schengen(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    last = profile.person.last_schengen_stay_end
    params = {"months": rule.months}
    if last is None:
        return Outcome.UNKNOWN, _t(
            "You must not have stayed in the Schengen area in the last %(months)s months; your "
            "profile does not say when your last stay ended."
        ) % params
    since = add_months(today, -rule.months)
    params.update(last=last.isoformat(), since=since.isoformat())
    if last > since:
        return Outcome.FAILED, _t(
            "You must not have stayed in the Schengen area in the last %(months)s months; your "
            "last stay ended on %(last)s, after %(since)s."
        ) % params
    return Outcome.PASSED, _t(
        "Your last stay in the Schengen area ended on %(last)s, more than %(months)s months ago."
    ) % params


def _education(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    params = {"level": rule.isced_level_id, "name": rule.isced_level.name}
    highest = profile.highest_isced
    if highest is None:
        return Outcome.UNKNOWN, _t(
            "You need education at ISCED level %(level)s (%(name)s); your profile lists no "
            "education."
        ) % params
    params["yours"] = highest
    if highest < int(rule.isced_level_id):
        return Outcome.FAILED, _t(
            "You need education at ISCED level %(level)s (%(name)s); your highest level is "
            "%(yours)s."
        ) % params
    return Outcome.PASSED, _t(
        "You need education at ISCED level %(level)s (%(name)s); your highest level is %(yours)s."
    ) % params


def _passport(rule: EligibilityRule, profile: _Profile, vacancy, today: datetime.date) -> Verdict:
    start = vacancy.start_date or today
    needed = add_months(start, rule.months)
    expiry = profile.person.passport_expiry
    params = {"months": rule.months, "needed": needed.isoformat()}
    if expiry is None:
        return Outcome.UNKNOWN, _t(
            "Your passport must be valid until at least %(needed)s (%(months)s months after the "
            "start date); your profile has no passport expiry date."
        ) % params
    params["expiry"] = expiry.isoformat()
    if expiry < needed:
        return Outcome.FAILED, _t(
            "Your passport must be valid until at least %(needed)s (%(months)s months after the "
            "start date); it expires on %(expiry)s."
        ) % params
    return Outcome.PASSED, _t(
        "Your passport is valid until %(expiry)s, past %(needed)s as required."
    ) % params


_JUDGES = {
    RuleKind.AGE: _age,
    RuleKind.DOCUMENT: _document,
    RuleKind.LANGUAGE: _language,
    RuleKind.EXPERIENCE: _experience,
    RuleKind.DRIVING_LICENCE: _driving,
    RuleKind.NO_SCHENGEN_STAY: _schengen,
    RuleKind.EDUCATION: _education,
    RuleKind.PASSPORT_VALIDITY: _passport,
}


def rule_add(*, actor, rule: EligibilityRule) -> EligibilityRule:
    """Add a rule to a vacancy or an agreement (the view checks the right), audited."""
    rule.created_by = actor
    rule.full_clean()
    with transaction.atomic():
        rule.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=rule.vacancy or rule.agreement,
            payload={"eligibility_rule": rule.pk, "kind": rule.kind, "rule": _plain(rule)},
        )
    return rule


def rule_remove(*, actor, rule: EligibilityRule) -> None:
    with transaction.atomic():
        owner = rule.vacancy or rule.agreement
        payload = {"eligibility_rule_removed": rule.pk, "kind": rule.kind, "rule": _plain(rule)}
        rule.delete()
        audit_record(actor=actor, verb=AuditVerb.UPDATED, target=owner, payload=payload)


def _plain(rule: EligibilityRule) -> str:
    with translation.override("en"):
        return rule.describe()
