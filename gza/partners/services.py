"""Use cases of the partners domain: the cooperation pipeline, engagements and indicators."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from gza.core.audit import audit_record
from gza.core.enums import AuditVerb, Role
from gza.core.errors import DomainError
from gza.core.models import Organisation, User
from gza.core.uploads import DOCUMENTS, kept_unless_failed, stage_document
from gza.partners.enums import IndicatorKind
from gza.partners.models import (
    AGREEMENT_DATES,
    AGREEMENT_LIFECYCLE,
    COOPERATION,
    Action,
    ActionNote,
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementQuota,
    AssessmentWeights,
    CountryIndicator,
    Decision,
    Engagement,
    PartnerCountry,
    StageChange,
)
from gza.taxonomy.models import Country

ILOSTAT_EARNINGS = (
    Path(__file__).resolve().parent / "data" / "ilostat_avg_monthly_earnings_ppp2021.csv"
)
ILOSTAT_SOURCE = "ILO, ILOSTAT (EAR_4MTH_SEX_GEO_CUR_NB_A), via openwashdata"
# ILOSTAT's official names where CLDR's English name differs.
ILOSTAT_NAMES = {
    "Bolivia (Plurinational State of)": "BO",
    "Bosnia and Herzegovina": "BA",
    "Brunei Darussalam": "BN",
    "Cabo Verde": "CV",
    "Côte d'Ivoire": "CI",
    "Lao People's Democratic Republic": "LA",
    "Myanmar": "MM",
    "Republic of Moldova": "MD",
    "Tanzania, United Republic of": "TZ",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "United States of America": "US",
    "Viet Nam": "VN",
}


def _editable(partner: PartnerCountry, actor: User) -> None:
    if not PartnerCountry.objects.editable_by(actor).filter(pk=partner.pk).exists():
        raise DomainError(DomainError.NOT_PERMITTED)


def _ministry_only(actor: User) -> None:
    if actor.role != Role.MINISTRY_OFFICER or not actor.is_active:
        raise DomainError(DomainError.NOT_PERMITTED)


def partner_add(
    *, actor: User, country: Country, summary_ka: str = "", summary_en: str = ""
) -> PartnerCountry:
    """Start following a country: it enters the pipeline at "identified"."""
    _ministry_only(actor)
    with transaction.atomic():
        partner = PartnerCountry(country=country, summary_ka=summary_ka, summary_en=summary_en)
        partner.full_clean()
        partner.save()
        StageChange.objects.create(
            partner=partner,
            transition="identify",
            to_stage=partner.stage,
            occurred_on=partner.stage_since,
            actor=actor,
        )
        audit_record(actor=actor, verb=AuditVerb.CREATED, target=partner)
    return partner


def partner_stage_move(
    *,
    actor: User,
    partner: PartnerCountry,
    transition: str,
    occurred_on: datetime.date,
    reason: str = "",
    source_document: str = "",
) -> PartnerCountry:
    """Move a partner along the cooperation pipeline and log the move."""
    with transaction.atomic():
        # Row lock: two officers moving the same country at once cannot both start from the
        # same stage; the second sees the first one's result and is checked against it.
        partner = PartnerCountry.objects.select_for_update().get(pk=partner.pk)
        _editable(partner, actor)
        move = COOPERATION.get(transition, state=partner.stage)
        if move.needs_reason and not reason.strip():
            raise ValidationError(
                {"reason": _("Say why: this move needs a reason.")}, code="required"
            )
        if occurred_on > datetime.date.today():
            raise ValidationError(
                {"occurred_on": _("The date of a stage change cannot be in the future.")},
                code="future",
            )
        if occurred_on < partner.stage_since:
            raise ValidationError(
                {
                    "occurred_on": _(
                        "The move cannot be dated %(date)s, before the current stage began "
                        "(%(since)s)."
                    )
                },
                code="before_current",
                params={"date": occurred_on, "since": partner.stage_since},
            )
        StageChange.objects.create(
            partner=partner,
            transition=move.name,
            from_stage=partner.stage,
            to_stage=move.target,
            occurred_on=occurred_on,
            reason=reason.strip(),
            source_document=source_document.strip(),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=partner,
            payload={"changes": {"stage": [partner.stage, move.target]}, "transition": move.name},
        )
        partner.stage = move.target
        partner.stage_since = occurred_on
        partner.save(update_fields=["stage", "stage_since", "updated_at"])
    return partner


def engagement_record(
    *, actor: User, engagement: Engagement, organisations: list[Organisation]
) -> Engagement:
    with transaction.atomic():
        recordable = PartnerCountry.objects.engagements_recordable_by(actor)
        if not recordable.filter(pk=engagement.partner.pk).exists():
            raise DomainError(DomainError.NOT_PERMITTED)
        engagement.created_by = actor
        engagement.full_clean()
        engagement.save()
        engagement.organisations.set(organisations)
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=engagement,
            payload={"partner": engagement.partner.country_id, "kind": engagement.kind},
        )
    return engagement


def indicator_record(*, actor: User, indicator: CountryIndicator) -> CountryIndicator:
    partner = PartnerCountry.objects.filter(country=indicator.country).first()
    if partner is None:
        raise DomainError(DomainError.NOT_PERMITTED)
    _editable(partner, actor)
    with transaction.atomic():
        indicator.full_clean()
        indicator.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=indicator,
            payload={"kind": indicator.kind, "period": indicator.period},
        )
    return indicator


def earnings_indicators_load(*, path: Path = ILOSTAT_EARNINGS) -> tuple[int, list[str]]:
    """Load ILOSTAT's average monthly earnings (all employees, national, 2021 PPP $): one
    indicator per country and year. Returns the rows written and the names not recognised."""
    countries = dict(Country.objects.values_list("name_en", "code")) | ILOSTAT_NAMES
    unknown: set[str] = set()
    # Some country-years appear from more than one survey; the last row read stands.
    indicators: dict[tuple[str, str], CountryIndicator] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["sex"] != "Total" or row["area_type"] != "National":
                continue
            code = countries.get(row["country"])
            if code is None:
                unknown.add(row["country"])
                continue
            indicators[code, row["year"]] = CountryIndicator(
                country_id=code,
                kind=IndicatorKind.AVERAGE_EARNINGS,
                value=Decimal(row["earnings_ppp"]).quantize(Decimal("0.001")),
                unit="per month",
                currency="PPP $ 2021",
                period=row["year"],
                source=ILOSTAT_SOURCE,
            )
    with transaction.atomic():
        CountryIndicator.objects.bulk_create(
            list(indicators.values()),
            update_conflicts=True,
            unique_fields=["country", "kind", "period", "source"],
            update_fields=["value", "unit", "currency"],
        )
    return len(indicators), sorted(unknown)


def agreement_save(
    *,
    actor: User,
    agreement: Agreement,
    occupations: list | None = None,
    implementing_bodies: list[Organisation] | None = None,
) -> Agreement:
    """Create or edit an agreement's particulars (dates are checked for order)."""
    with transaction.atomic():
        _editable(agreement.partner, actor)
        creating = agreement.pk is None
        if not creating:
            # Row lock: a concurrent edit or status move waits instead of being overwritten.
            Agreement.objects.select_for_update().get(pk=agreement.pk)
        agreement.full_clean()
        agreement.save()
        if occupations is not None:
            agreement.occupations.set(occupations)
        if implementing_bodies is not None:
            agreement.implementing_bodies.set(implementing_bodies)
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED if creating else AuditVerb.UPDATED,
            target=agreement,
            payload={"partner": agreement.partner.country_id, "status": agreement.status},
        )
    return agreement


def agreement_move(
    *,
    actor: User,
    agreement: Agreement,
    transition: str,
    occurred_on: datetime.date,
    reason: str = "",
) -> Agreement:
    """Move an agreement along its lifecycle, recording the date of the step."""
    with transaction.atomic():
        # Row lock: two officers recording the same step cannot both pass the status check.
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _editable(agreement.partner, actor)
        move = AGREEMENT_LIFECYCLE.get(transition, state=agreement.status)
        if move.needs_reason and not reason.strip():
            raise ValidationError(
                {"reason": _("Say why: this move needs a reason.")}, code="required"
            )
        if move.name == "ratify" and not (
            agreement.ratified_georgia_on and agreement.ratified_partner_on
        ):
            raise ValidationError(
                _("Record both ratification dates on the agreement first."), code="ratification"
            )
        if field := AGREEMENT_DATES.get(move.name):
            setattr(agreement, field, occurred_on)
        from_status = agreement.status
        agreement.status = move.target
        agreement.full_clean()
        agreement.save()
        AgreementEvent.objects.create(
            agreement=agreement,
            transition=move.name,
            from_status=from_status,
            to_status=move.target,
            occurred_on=occurred_on,
            reason=reason.strip(),
            actor=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=agreement,
            payload={"changes": {"status": [from_status, move.target]}, "transition": move.name},
        )
    return agreement


def quota_record(*, actor: User, quota: AgreementQuota) -> AgreementQuota:
    with transaction.atomic():
        _editable(quota.agreement.partner, actor)
        quota.full_clean()
        quota.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=quota,
            payload={"agreement": quota.agreement_id, "year": quota.year, "places": quota.places},
        )
    return quota


def assessment_weights_set(*, actor: User, weights: AssessmentWeights) -> AssessmentWeights:
    """Put new weights in force; the previous rows stay as the history of the settings."""
    _ministry_only(actor)
    with transaction.atomic():
        weights.pk = None
        weights.set_by = actor
        weights.full_clean()
        weights.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=weights,
            payload={
                "pay": weights.pay,
                "demand": weights.demand,
                "legal_pathway": weights.legal_pathway,
                "cooperation": weights.cooperation,
            },
        )
    return weights


def decision_record(*, actor: User, decision: Decision) -> Decision:
    """Record a decision on a destination with the assessment as it stands today."""
    from gza.partners.assessment import assess

    _ministry_only(actor)
    with transaction.atomic():
        decision.author = actor
        decision.assessment = assess(decision.partner).as_dict()
        decision.full_clean()
        decision.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=decision,
            payload={"partner": decision.partner.country_id, "verdict": decision.verdict},
        )
    return decision


def action_update(*, actor: User, action: Action, status: str, note: str) -> Action:
    """Record progress on an action: its new status and a note saying what happened."""
    with transaction.atomic():
        # Row lock: two people updating one action keep both notes and the later status.
        action = Action.objects.select_for_update().get(pk=action.pk)
        # A general action is the ministry's; one on a country, its editors'.
        if action.partner is None:
            _ministry_only(actor)
        else:
            _editable(action.partner, actor)
        if not note.strip():
            raise ValidationError({"note": _("Say what happened.")}, code="required")
        before = action.status
        action.status = status
        action.full_clean()
        action.save(update_fields=["status", "updated_at"])
        ActionNote.objects.create(action=action, status=status, text=note.strip(), author=actor)
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=action,
            payload={"changes": {"status": [before, status]}} if before != status else {},
        )
    return action


def action_add(*, actor: User, action: Action) -> Action:
    _ministry_only(actor)
    with transaction.atomic():
        action.full_clean()
        action.save()
        audit_record(actor=actor, verb=AuditVerb.CREATED, target=action)
    return action


def agreement_document_add(
    *, actor: User, agreement: Agreement, upload: File, kind: str, language: str, title: str
) -> AgreementDocument:
    """Attach a document to an agreement. The file's type is read from its content; it is stored
    under a random name outside the web root, and removed again if the record cannot be saved."""
    _editable(agreement.partner, actor)
    document = AgreementDocument(
        agreement=agreement,
        kind=kind,
        language=language,
        title=title.strip(),
        uploaded_by=actor,
    )
    stage_document(document, upload, allowed=DOCUMENTS)
    with kept_unless_failed(document), transaction.atomic():
        document.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CREATED,
            target=document,
            # No title or file name: either may name a person.
            payload={
                "agreement": agreement.pk,
                "kind": document.kind,
                "language": document.language,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
            },
        )
    return document


def agreement_document_remove(*, actor: User, document: AgreementDocument) -> None:
    """Remove a document; its file is deleted once the removal is committed, so a rollback
    leaves the record and its file as they were."""
    with transaction.atomic():
        # Row lock: two removals of one document cannot both pass the existence check.
        document = (
            AgreementDocument.objects.select_for_update()
            .select_related("agreement__partner")
            .get(pk=document.pk)
        )
        _editable(document.agreement.partner, actor)
        storage, name = document.file.storage, document.file.name
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=document.agreement,
            payload={
                "document_removed": {
                    "id": document.pk,
                    "kind": document.kind,
                    "language": document.language,
                    "sha256": document.sha256,
                }
            },
        )
        document.delete()
        transaction.on_commit(lambda: storage.delete(name))
