"""Labour-market studies: who reads and edits them, saving a study and its in-demand
occupations, and the Georgian supply gap for each occupation a study lists.

The supply gap weighs a study's estimated demand against the registry: people seeking the same
ISCO-08 unit group, by region of Georgia and by whether they meet the occupation's language
requirements. It is an aggregate — counts only, never a name — computed in a fixed number of
queries however many occupations the study lists. See docs/decisions/0012-studies-and-supply.md.
"""

import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record, snapshot
from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import User
from gza.core.roles import Right, has_right
from gza.demand.models import InDemandLanguage, InDemandOccupation, LabourMarketStudy
from gza.registry.models import LanguageSkill, SoughtOccupation
from gza.taxonomy.models import CefrLevel, GeorgianRegion, Language

# What a study's form edits.
STUDY_FIELDS = [
    "country",
    "title_ka",
    "title_en",
    "period_start",
    "period_end",
    "method",
    "sources",
    "findings_ka",
    "findings_en",
    "author_organisation",
]
IN_DEMAND_FIELDS = [
    "occupation",
    "estimated_demand",
    "wage_min",
    "wage_max",
    "wage_currency",
    "wage_period",
    "qualifications",
    "licences",
    "external_ref",
]

UNKNOWN_LANGUAGE = _("Unknown language: %(value)s.")
UNKNOWN_CEFR_LEVEL = _("A CEFR level is one of A1, A2, B1, B2, C1 or C2, not %(value)s.")
CEFR_LEVEL_MISSING = _("Give the minimum CEFR level required in %(value)s.")
LANGUAGE_REPEATED = _("The language %(value)s is required twice: name each language once.")
DEMAND_BELOW_ONE = _("The estimated demand is at least 1.")
WAGE_NOT_POSITIVE = _("A wage is above zero.")
WAGE_RANGE_REVERSED = _("The upper wage cannot be below the lower one.")
WAGE_WITHOUT_TERMS = _("A wage needs its currency and period.")
PERIOD_REVERSED = _("A study's period cannot end before it starts.")
NOT_IN_STUDY = _("This occupation belongs to another study.")


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _iom_caseworker(user) -> bool:
    """A caseworker of IOM or an NGO, the organisations that carry out studies with the
    ministry."""
    return (
        user.role == Role.CASEWORKER
        and bool(user.organisation_id)
        and user.organisation.kind == OrganisationKind.IOM_NGO
    )


def _authoring_organisations(user) -> set[int]:
    """The caseworker's organisation and the one it is a unit of (an IOM field office works for
    the mission that authored the study)."""
    organisation = user.organisation
    return {pk for pk in (organisation.pk, organisation.parent_id) if pk}


# A queryset method on LabourMarketStudy would be the home of the next two (demand models are
# another engineer's file at the moment; docs/decisions/0012).
def studies_visible_to(user) -> QuerySet[LabourMarketStudy]:
    """Ministry officers, caseworkers and analysts read every study (a study holds no personal
    data and no contact people); an embassy officer the studies of the embassy's country;
    nobody else."""
    studies = LabourMarketStudy.objects.all()
    if not (_signed_in(user) and has_right(user, Right.STUDIES_VIEW)):
        return studies.none()
    if user.role in {Role.MINISTRY_OFFICER, Role.CASEWORKER, Role.ANALYST}:
        return studies
    if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
        return studies.filter(country_id=user.organisation.country_id)
    return studies.none()


def studies_editable_by(user) -> QuerySet[LabourMarketStudy]:
    """The ministry edits every study, an embassy those of its country, an IOM or NGO
    caseworker those its organisation (or the organisation it is part of) wrote."""
    studies = studies_visible_to(user)
    if not _signed_in(user):
        return studies.none()
    if has_right(user, Right.DEMAND_MANAGE):
        return studies
    if user.role == Role.EMBASSY_OFFICER:
        return studies
    if _iom_caseworker(user):
        return studies.filter(author_organisation_id__in=_authoring_organisations(user))
    return studies.none()


def study_creation_allowed(user) -> bool:
    if not (_signed_in(user) and has_right(user, Right.STUDIES_VIEW)):
        return False
    if has_right(user, Right.DEMAND_MANAGE):
        return True
    if user.role == Role.EMBASSY_OFFICER:
        return bool(user.organisation_id and user.organisation.country_id)
    return _iom_caseworker(user)


def _may_hold(actor: User, study: LabourMarketStudy) -> bool:
    """Whether a study with these values lies within what the actor may edit: an embassy may
    not move a study to another country, a caseworker not hand it to another author."""
    if has_right(actor, Right.DEMAND_MANAGE):
        return True
    if actor.role == Role.EMBASSY_OFFICER:
        return study.country_id == actor.organisation.country_id
    if _iom_caseworker(actor):
        return study.author_organisation_id in _authoring_organisations(actor)
    return False


def _check_period(study: LabourMarketStudy) -> dict[str, list[ValidationError]]:
    if study.period_start and study.period_end and study.period_end < study.period_start:
        return {"period_end": [ValidationError(PERIOD_REVERSED, code="period_order")]}
    return {}


def _full_clean(instance, errors: dict[str, list[ValidationError]]) -> None:
    """Run the model's own validation on the fields the service has not already refused, and
    raise everything found at once."""
    try:
        instance.full_clean(exclude=set(errors))
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def study_save(*, actor: User, study: LabourMarketStudy) -> LabourMarketStudy:
    """Record a new study or save edits to one. A caseworker's new study is authored by the
    caseworker's organisation."""
    if study.pk is None:
        if not study_creation_allowed(actor):
            raise DomainError(DomainError.NOT_PERMITTED)
        if _iom_caseworker(actor) and study.author_organisation_id is None:
            study.author_organisation = actor.organisation
        if not _may_hold(actor, study):
            raise DomainError(DomainError.NOT_PERMITTED)
        with transaction.atomic():
            _full_clean(study, _check_period(study))
            study.created_by = actor
            study.save()
            audit_record(
                actor=actor,
                verb=AuditVerb.CREATED,
                target=study,
                payload={"country": study.country_id},
            )
        return study
    with transaction.atomic():
        # Row lock: an edit and an in-demand save on the same study run one after the other.
        current = LabourMarketStudy.objects.select_for_update().get(pk=study.pk)
        if not studies_editable_by(actor).filter(pk=current.pk).exists():
            raise DomainError(DomainError.NOT_PERMITTED)
        if not _may_hold(actor, study):
            raise DomainError(DomainError.NOT_PERMITTED)
        before = snapshot(current, STUDY_FIELDS)
        _full_clean(study, _check_period(study))
        study.created_by_id = current.created_by_id
        study.save()
        after = snapshot(study, STUDY_FIELDS)
        changes = {
            name: [before[name], after[name]] for name in before if before[name] != after[name]
        }
        if changes:
            audit_record(
                actor=actor, verb=AuditVerb.UPDATED, target=study, payload={"changes": changes}
            )
    return study


def _editable_study(actor: User, study: LabourMarketStudy) -> LabourMarketStudy:
    """Lock the study and check the actor may edit it."""
    # Row lock on the study: two saves with the same external reference (an import re-run
    # beside an officer's edit) wait for each other, so the second finds the first one's row
    # and updates it instead of failing on the unique constraint.
    locked = LabourMarketStudy.objects.select_for_update().get(pk=study.pk)
    if not studies_editable_by(actor).filter(pk=locked.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)
    return locked


def _language_rows(
    languages: Sequence[tuple[str, str]],
) -> tuple[list[InDemandLanguage], list[ValidationError]]:
    """Language requirements from (language code, CEFR level) pairs, with every mistake."""
    pairs = [(str(code).strip().lower(), str(level).strip().upper()) for code, level in languages]
    known = Language.objects.in_bulk([code for code, _level in pairs])
    levels = CefrLevel.objects.in_bulk([level for _code, level in pairs])
    rows, errors, seen = [], [], set()
    for code, level in pairs:
        if code not in known:
            errors.append(
                ValidationError(UNKNOWN_LANGUAGE, code="language", params={"value": code})
            )
        elif code in seen:
            errors.append(
                ValidationError(LANGUAGE_REPEATED, code="language_repeated", params={"value": code})
            )
        if not level:
            errors.append(
                ValidationError(CEFR_LEVEL_MISSING, code="cefr_missing", params={"value": code})
            )
        elif level not in levels:
            errors.append(ValidationError(UNKNOWN_CEFR_LEVEL, code="cefr", params={"value": level}))
        seen.add(code)
        if code in known and level in levels:
            rows.append(InDemandLanguage(language=known[code], min_level=levels[level]))
    return rows, errors


def _check_in_demand(row: InDemandOccupation) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if row.estimated_demand is None or row.estimated_demand < 1:
        errors["estimated_demand"] = [ValidationError(DEMAND_BELOW_ONE, code="min_demand")]
    for name in ("wage_min", "wage_max"):
        value = getattr(row, name)
        if value is not None and value <= 0:
            errors[name] = [ValidationError(WAGE_NOT_POSITIVE, code="wage_positive")]
    wages = (row.wage_min, row.wage_max)
    comparable = None not in wages and "wage_min" not in errors and "wage_max" not in errors
    if comparable and row.wage_max < row.wage_min:
        errors["wage_max"] = [ValidationError(WAGE_RANGE_REVERSED, code="wage_order")]
    has_wage = row.wage_min is not None or row.wage_max is not None
    if has_wage and not (row.wage_currency and row.wage_period):
        errors["wage_currency"] = [ValidationError(WAGE_WITHOUT_TERMS, code="wage_terms")]
    return errors


def _languages_text(rows) -> str:
    """A requirement list as one comparable string for the audit trail: "en:B1, pl:A2"."""
    return ", ".join(sorted(f"{row.language_id}:{row.min_level_id}" for row in rows))


def in_demand_save(
    *,
    actor: User,
    study: LabourMarketStudy,
    occupation: str,
    estimated_demand: int | None,
    wage_min: Decimal | None = None,
    wage_max: Decimal | None = None,
    wage_currency: str = "",
    wage_period: str = "",
    qualifications: str = "",
    licences: str = "",
    languages: Sequence[tuple[str, str]] = (),
    external_ref: str = "",
    in_demand: InDemandOccupation | None = None,
) -> InDemandOccupation:
    """Add an in-demand occupation to a study, or update one, with its full list of language
    requirements ((language code, CEFR level) pairs, which replace the old list).

    The row updated is `in_demand` when given (the edit form), else the study's row with the
    same non-empty `external_ref` (an import run again), else a new row. All or nothing:
    every mistake is reported in one ValidationError and nothing is stored."""
    external_ref = external_ref.strip()
    with transaction.atomic():
        study = _editable_study(actor, study)
        # The study's lock covers its rows: every write to them takes it first.
        if in_demand is not None:
            row = InDemandOccupation.objects.filter(pk=in_demand.pk).first()
            if row is None or row.study_id != study.pk:
                raise ValidationError(NOT_IN_STUDY, code="other_study")
        elif external_ref:
            row = study.in_demand_occupations.filter(external_ref=external_ref).first()
        else:
            row = None
        created = row is None
        row = row or InDemandOccupation(study=study)
        before = None if created else snapshot(row, IN_DEMAND_FIELDS)
        before_languages = "" if created else _languages_text(row.languages.all())

        row.occupation_id = str(occupation).strip()
        row.estimated_demand = estimated_demand
        row.wage_min, row.wage_max = wage_min, wage_max
        row.wage_currency = wage_currency.strip().upper()
        row.wage_period = wage_period
        row.qualifications = qualifications.strip()
        row.licences = licences.strip()
        row.external_ref = external_ref
        errors = _check_in_demand(row)
        requirements, language_errors = _language_rows(languages)
        if language_errors:
            errors["languages"] = language_errors
        _full_clean(row, errors)

        row.save()
        row.languages.all().delete()
        for requirement in requirements:
            requirement.in_demand = row
        InDemandLanguage.objects.bulk_create(requirements)
        after_languages = _languages_text(requirements)
        if created:
            audit_record(
                actor=actor,
                verb=AuditVerb.CREATED,
                target=row,
                payload={
                    "study": study.pk,
                    "occupation": row.occupation_id,
                    "estimated_demand": row.estimated_demand,
                    "languages": after_languages,
                    "external_ref": external_ref,
                },
            )
        else:
            after = snapshot(row, IN_DEMAND_FIELDS)
            changes = {
                name: [before[name], after[name]] for name in before if before[name] != after[name]
            }
            if before_languages != after_languages:
                changes["languages"] = [before_languages, after_languages]
            # An import run again with the same figures changes nothing and records nothing.
            if changes:
                audit_record(
                    actor=actor,
                    verb=AuditVerb.UPDATED,
                    target=row,
                    payload={"study": study.pk, "changes": changes},
                )
    return row


def in_demand_remove(*, actor: User, in_demand: InDemandOccupation) -> None:
    """Take an occupation off a study's list, with its language requirements."""
    with transaction.atomic():
        study = _editable_study(actor, in_demand.study)
        row = study.in_demand_occupations.filter(pk=in_demand.pk).first()
        if row is None:
            return  # removed meanwhile by someone else: nothing left to do
        # The trail has no "deleted" verb: the removal is a change to the study, as for an
        # agreement's document.
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=study,
            payload={
                "in_demand_removed": {
                    "id": row.pk,
                    "occupation": row.occupation_id,
                    "estimated_demand": row.estimated_demand,
                    "languages": _languages_text(row.languages.all()),
                    "external_ref": row.external_ref,
                }
            },
        )
        row.delete()


# The supply gap

# A gap is large — training is needed — when qualified supply covers less than half the demand.
LARGE_GAP_SHARE = Decimal("0.5")


@dataclass(frozen=True)
class RegionSupply:
    """Job seekers in one region of Georgia seeking an occupation, and how many of them meet
    its language requirements."""

    region: GeorgianRegion
    seekers: int
    qualified: int


@dataclass(frozen=True)
class SupplyGapRow:
    """One in-demand occupation weighed against the registry: counts only, no names."""

    in_demand: InDemandOccupation
    seekers: int  # registered job seekers seeking the occupation
    qualified: int  # of them, those meeting every language requirement
    by_region: tuple[RegionSupply, ...]

    @property
    def demand(self) -> int:
        return self.in_demand.estimated_demand

    @property
    def gap(self) -> int:
        """Workers the study found in demand that qualified supply cannot fill; never
        negative (more supply than demand is a surplus)."""
        return max(0, self.demand - self.qualified)

    @property
    def surplus(self) -> int:
        return max(0, self.qualified - self.demand)

    @property
    def language_trainable(self) -> int:
        """How much of the gap people already seeking the occupation could fill with language
        training alone."""
        return min(self.gap, self.seekers - self.qualified)

    @property
    def training_needed(self) -> bool:
        return self.gap > 0 and self.qualified < self.demand * LARGE_GAP_SHARE

    def in_region(self, code: str) -> RegionSupply | None:
        return next((cell for cell in self.by_region if cell.region.code == code), None)


def _qualified_condition(rows: Sequence[InDemandOccupation]) -> Q:
    """For a SoughtOccupation row: the person seeks one of the study's occupations and speaks
    each language that occupation requires at its minimum CEFR level or above."""
    conditions = []
    for row in rows:
        meets = Q(occupation_id=row.occupation_id)
        for requirement in row.languages.all():
            meets &= Q(
                Exists(
                    LanguageSkill.objects.filter(
                        job_seeker_id=OuterRef("job_seeker_id"),
                        language_id=requirement.language_id,
                        level__rank__gte=requirement.min_level.rank,
                    )
                )
            )
        conditions.append(meets)
    return reduce(operator.or_, conditions)


def study_supply_gap(study: LabourMarketStudy) -> list[SupplyGapRow]:
    """For each in-demand occupation of the study: registered job seekers seeking that unit
    group, by region and by whether they meet the language requirements, and the gap between
    the estimated demand and the qualified supply. Four queries, whatever the list's length."""
    requirements = InDemandLanguage.objects.select_related("language", "min_level")
    rows = list(
        study.in_demand_occupations.select_related("occupation")
        .prefetch_related(Prefetch("languages", queryset=requirements))
        .order_by("occupation_id")
    )
    if not rows:
        return []
    region_field = "job_seeker__municipality__region_id"
    counts = (
        SoughtOccupation.objects.filter(occupation_id__in=[row.occupation_id for row in rows])
        .values("occupation_id", region_field)
        .annotate(seekers=Count("pk"), qualified=Count("pk", filter=_qualified_condition(rows)))
        .order_by()
    )
    by_occupation: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for count in counts:
        by_occupation[count["occupation_id"]].append(
            (count[region_field], count["seekers"], count["qualified"])
        )
    regions = GeorgianRegion.objects.in_bulk(
        {code for cells in by_occupation.values() for code, _s, _q in cells}
    )
    result = []
    for row in rows:
        cells = sorted(by_occupation.get(row.occupation_id, []))
        result.append(
            SupplyGapRow(
                in_demand=row,
                seekers=sum(seekers for _code, seekers, _q in cells),
                qualified=sum(qualified for _code, _s, qualified in cells),
                by_region=tuple(
                    RegionSupply(region=regions[code], seekers=seekers, qualified=qualified)
                    for code, seekers, qualified in cells
                ),
            )
        )
    return result
