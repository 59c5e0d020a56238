"""Demand abroad: foreign employers and their vetting, licensed private employment agencies and
their annual reports, labour-market studies with their in-demand occupations, and vacancies
(job orders). See docs/decisions/0009-demand-domain.md."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import OrganisationKind, Role
from gza.core.models import translated
from gza.core.text import normalise_for_search
from gza.core.uploads import get_private_storage, random_name
from gza.core.workflow import Transition, Workflow
from gza.demand.enums import (
    CertificationStatus,
    EmployerDocumentKind,
    NaceSection,
    SelectionMethod,
    VacancyStatus,
    VettingStatus,
    WagePeriod,
)
from gza.demand.validators import (
    validate_currency,
    validate_driving_licences,
    validate_registry_number,
)
from gza.partners.enums import DocumentLanguage
from gza.registry.enums import Sex

# Certification and the annual activity report became mandatory on 1 September 2023 (Law of
# Georgia on Labour Migration), so 2023 is the first year a report is owed for.
FIRST_REPORT_YEAR = 2023


def report_deadline(year: int) -> datetime.date:
    """The one rule for an agency's annual report: the report on year Y is due by 31 March of
    Y + 1."""
    return datetime.date(year + 1, 3, 31)


def last_due_year(today: datetime.date) -> int:
    """The latest year whose report deadline has passed by `today`."""
    return today.year - 1 if today > report_deadline(today.year - 1) else today.year - 2


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# A unit group (4 digits) of ISCO-08: what every occupation field of this domain points at.
UNIT_GROUP = {"level": 4}
UNKNOWN_UNIT_GROUP = {"invalid": _("Unknown ISCO-08 unit group: %(value)s.")}

V = VettingStatus
# Vetting of a foreign employer by the embassy of its country (or the ministry). Only a verified
# employer's vacancies may be published.
VETTING = Workflow(
    [
        Transition("verify", frozenset({V.PENDING}), V.VERIFIED, _("verified")),
        Transition(
            "reject",
            frozenset({V.PENDING, V.SUSPENDED}),
            V.REJECTED,
            _("rejected"),
            needs_reason=True,
        ),
        Transition(
            "suspend", frozenset({V.VERIFIED}), V.SUSPENDED, _("suspended"), needs_reason=True
        ),
        Transition("reinstate", frozenset({V.SUSPENDED}), V.VERIFIED, _("reinstated")),
        # New documents after a rejection: the employer is vetted afresh.
        Transition(
            "reopen",
            frozenset({V.REJECTED}),
            V.PENDING,
            _("reopened for vetting"),
            needs_reason=True,
        ),
    ]
)


class ForeignEmployerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ForeignEmployerQuerySet":
        """Ministry officers and caseworkers read every employer; an embassy officer the
        employers in the embassy's country; an employer's own user its own record; nobody else
        (analysts never see contact details)."""
        if not _signed_in(user):
            return self.none()
        if user.role in {Role.MINISTRY_OFFICER, Role.CASEWORKER}:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            return self.filter(country_id=user.organisation.country_id)
        if user.role == Role.EMPLOYER and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()

    def editable_by(self, user) -> "ForeignEmployerQuerySet":
        """The ministry edits every employer, an embassy those of its country, an employer its
        own record."""
        if not _signed_in(user):
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role in {Role.EMBASSY_OFFICER, Role.EMPLOYER}:
            return self.visible_to(user)
        return self.none()

    def vettable_by(self, user) -> "ForeignEmployerQuerySet":
        """The embassy of the employer's country vets it; the ministry may too."""
        if not _signed_in(user):
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER:
            return self.visible_to(user)
        return self.none()

    def verified(self) -> "ForeignEmployerQuerySet":
        return self.filter(vetting_status=VettingStatus.VERIFIED)


class ForeignEmployer(models.Model):
    """An employer abroad that offers work to Georgians."""

    name = models.CharField(_("name"), max_length=300)
    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="foreign_employers",
    )
    city = models.CharField(_("city"), max_length=100)
    address = models.CharField(_("address"), max_length=300, blank=True)
    nace_section = models.CharField(
        _("sector (NACE Rev. 2 section)"), max_length=1, choices=NaceSection.choices
    )
    registration_number = models.CharField(
        _("registration number"),
        max_length=60,
        help_text=_("The employer's number in its own country's register of companies."),
    )
    website = models.URLField(_("website"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # The employer's own workspace accounts belong to this organisation.
    organisation = models.OneToOneField(
        "core.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="foreign_employer",
        limit_choices_to={"kind": OrganisationKind.FOREIGN_EMPLOYER},
    )
    vetting_status = models.CharField(
        _("vetting status"), max_length=20, choices=VettingStatus.choices, default=V.PENDING
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ForeignEmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("foreign employer")
        verbose_name_plural = _("foreign employers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                name="foreign_employer_registration_unique",
                violation_error_message=_(
                    "An employer with this registration number is already registered in this "
                    "country."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspace:employer_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        organisation = self.organisation
        if organisation is None:
            return
        if organisation.kind != OrganisationKind.FOREIGN_EMPLOYER:
            raise ValidationError(
                {"organisation": _("The organisation must be a foreign employer.")},
                code="organisation_kind",
            )
        if organisation.country_id and organisation.country_id != self.country_id:
            raise ValidationError(
                {"organisation": _("The organisation is registered in another country.")},
                code="organisation_country",
            )

    def allowed_transitions(self) -> list[Transition]:
        return VETTING.allowed_from(self.vetting_status)


class EmployerVettingEvent(models.Model):
    """One row per move of an employer's vetting status: who, when, from, to, why."""

    employer = models.ForeignKey(
        ForeignEmployer, on_delete=models.CASCADE, related_name="vetting_events"
    )
    transition = models.CharField(_("transition"), max_length=30)
    from_status = models.CharField(
        _("from"), max_length=20, choices=VettingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=VettingStatus.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("vetting event")
        verbose_name_plural = _("vetting events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.from_status} → {self.to_status}"


C = CertificationStatus
# An agency holds a certificate while certified or suspended: it owes a report for such years.
HOLDING_CERTIFICATE = frozenset({C.CERTIFIED, C.SUSPENDED})
# The ministry's certification of a private employment agency. A refused application is not a
# state yet: the application stays "applied" until the ministry decides (docs/decisions/0009).
CERTIFICATION = Workflow(
    [
        Transition("certify", frozenset({C.APPLIED}), C.CERTIFIED, _("certified")),
        Transition(
            "suspend", frozenset({C.CERTIFIED}), C.SUSPENDED, _("suspended"), needs_reason=True
        ),
        Transition("reinstate", frozenset({C.SUSPENDED}), C.CERTIFIED, _("reinstated")),
        Transition("revoke", HOLDING_CERTIFICATE, C.REVOKED, _("revoked"), needs_reason=True),
        Transition("expire", HOLDING_CERTIFICATE, C.EXPIRED, _("expired")),
        Transition("reapply", frozenset({C.REVOKED, C.EXPIRED}), C.APPLIED, _("applied again")),
    ]
)


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgencyQuerySet":
        """Ministry officers, embassy officers and caseworkers read every agency (an agency's
        certification is public anyway); an agency's own user its own agency; nobody else."""
        if not _signed_in(user):
            return self.none()
        if user.role in {Role.MINISTRY_OFFICER, Role.EMBASSY_OFFICER, Role.CASEWORKER}:
            return self.all()
        if user.role == Role.AGENCY and user.organisation_id:
            return self.filter(organisation_id=user.organisation_id)
        return self.none()


class Agency(models.Model):
    """A Georgian private employment agency that places people abroad; it must be certified by
    the ministry and file an annual activity report."""

    name_ka = models.CharField(_("name (Georgian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    registry_number = models.CharField(
        _("registry number"),
        max_length=11,
        unique=True,
        validators=[validate_registry_number],
        help_text=_("The identification code in the Registry of Entrepreneurs."),
        error_messages={"unique": _("An agency with this registry number is already recorded.")},
    )
    organisation = models.OneToOneField(
        "core.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agency",
        limit_choices_to={"kind": OrganisationKind.PRIVATE_AGENCY},
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("certification status"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=C.APPLIED,
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    expires_on = models.DateField(_("certificate expires"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("licensed agency")
        verbose_name_plural = _("licensed agencies")
        ordering = ["name_en", "id"]

    name = translated("name")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspace:agency_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.organisation is not None and self.organisation.kind != (
            OrganisationKind.PRIVATE_AGENCY
        ):
            errors["organisation"] = ValidationError(
                _("The organisation must be a licensed private employment agency."),
                code="organisation_kind",
            )
        if self.certified_on and self.expires_on and self.expires_on < self.certified_on:
            errors["expires_on"] = ValidationError(
                _("A certificate cannot expire before it was granted."), code="date_order"
            )
        if errors:
            raise ValidationError(errors)

    def allowed_transitions(self) -> list[Transition]:
        return CERTIFICATION.allowed_from(self.status)

    def certified_years(self, until: datetime.date) -> set[int]:
        """The years in which the agency held its certificate on at least one day, read from
        its status log (prefetch `status_events` for lists)."""
        years: set[int] = set()
        start = None
        for event in sorted(self.status_events.all(), key=lambda e: (e.occurred_on, e.pk)):
            holding = event.to_status in HOLDING_CERTIFICATE
            if holding and start is None:
                start = event.occurred_on
            elif not holding and start is not None:
                years.update(range(start.year, event.occurred_on.year + 1))
                start = None
        if start is not None:
            years.update(range(start.year, until.year + 1))
        return years

    def reports_owed(self, today: datetime.date) -> list[int]:
        """The years whose report was due by `today`: each year from 2023 in which the agency
        held its certificate, once that year's deadline has passed."""
        last = last_due_year(today)
        return sorted(y for y in self.certified_years(today) if FIRST_REPORT_YEAR <= y <= last)

    def missing_reports(self, today: datetime.date) -> list[int]:
        """Owed years with no filed report (prefetch `reports` for lists)."""
        filed = {report.year for report in self.reports.all() if report.submitted_at}
        return [year for year in self.reports_owed(today) if year not in filed]


class AgencyStatusEvent(models.Model):
    """One row per move of an agency's certification status."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="status_events")
    transition = models.CharField(_("transition"), max_length=30)
    from_status = models.CharField(
        _("from"), max_length=20, choices=CertificationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=CertificationStatus.choices)
    occurred_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("certification event")
        verbose_name_plural = _("certification events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.from_status} → {self.to_status}"


class AgencyReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgencyReportQuerySet":
        return self.filter(agency__in=Agency.objects.visible_to(user))


class AgencyReport(models.Model):
    """An agency's annual activity report: placements by country, occupation and sex, and the
    complaints it received."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # Stored, not computed: the deadline stays what it was when the report was owed, even if
    # the rule changes later.
    deadline = models.DateField(_("deadline"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    complaints_received = models.PositiveIntegerField(_("complaints received"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AgencyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="agency_report_one_per_year",
                violation_error_message=_("The agency's report for this year is already filed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    def save(self, *args, **kwargs) -> None:
        if self.deadline is None:
            self.deadline = report_deadline(self.year)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("workspace:agency_report_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.year is None:
            return
        if self.deadline is None:
            self.deadline = report_deadline(self.year)
        if self.year > timezone.localdate().year:
            raise ValidationError(
                {"year": _("A report cannot cover a future year (%(year)s).")},
                code="future",
                params={"year": self.year},
            )

    @property
    def is_late(self) -> bool:
        """Filed after its deadline (Georgian time). Late filing is accepted and marked."""
        return self.submitted_at is not None and (
            timezone.localdate(self.submitted_at) > self.deadline
        )


class AgencyReportLine(models.Model):
    """Placements of one report for one country, occupation and sex."""

    report = models.ForeignKey(AgencyReport, on_delete=models.CASCADE, related_name="lines")
    country = models.ForeignKey(
        "taxonomy.Country", verbose_name=_("country"), on_delete=models.PROTECT
    )
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        limit_choices_to=UNIT_GROUP,
        error_messages=UNKNOWN_UNIT_GROUP,
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    placements = models.PositiveIntegerField(_("placements"))

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["country", "occupation", "sex"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "country", "occupation", "sex"],
                name="agency_report_line_unique",
                violation_error_message=_(
                    "The report already has a line for this country, occupation and sex."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.occupation_id} {self.sex}: {self.placements}"


class LabourMarketStudy(models.Model):
    """A study of a destination's labour market and the occupations it needs."""

    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="labour_market_studies",
    )
    title_ka = models.CharField(_("title (Georgian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    method = models.TextField(_("method"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    findings_ka = models.TextField(_("findings (Georgian)"), blank=True)
    findings_en = models.TextField(_("findings (English)"), blank=True)
    author_organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("labour-market study")
        verbose_name_plural = _("labour-market studies")
        ordering = ["-period_end", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="study_period_in_order",
                violation_error_message=_("A study's period cannot end before it starts."),
            )
        ]

    title = translated("title")
    findings = translated("findings")

    def __str__(self) -> str:
        return self.title


class InDemandOccupation(models.Model):
    """One occupation a study found in demand, with its wage range and requirements."""

    study = models.ForeignKey(
        LabourMarketStudy, on_delete=models.CASCADE, related_name="in_demand_occupations"
    )
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        limit_choices_to=UNIT_GROUP,
        error_messages=UNKNOWN_UNIT_GROUP,
    )
    estimated_demand = models.PositiveIntegerField(_("estimated demand (workers)"))
    wage_min = models.DecimalField(
        _("wage from"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    wage_max = models.DecimalField(
        _("wage to"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    wage_currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[validate_currency]
    )
    wage_period = models.CharField(
        _("wage period"), max_length=10, choices=WagePeriod.choices, blank=True
    )
    qualifications = models.TextField(_("qualifications"), blank=True)
    licences = models.TextField(_("licences"), blank=True)
    # The row's key in the file it was imported from: a re-import updates instead of adding.
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("in-demand occupation")
        verbose_name_plural = _("in-demand occupations")
        ordering = ["study", "occupation"]
        constraints = [
            models.UniqueConstraint(
                fields=["study", "occupation"],
                name="in_demand_occupation_once_per_study",
                violation_error_message=_("The study already lists this occupation."),
            ),
            models.UniqueConstraint(
                fields=["study", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="in_demand_external_ref_unique",
                violation_error_message=_("The external reference is already used in the study."),
            ),
            models.CheckConstraint(
                condition=models.Q(estimated_demand__gte=1),
                name="in_demand_estimate_positive",
                violation_error_message=_("The estimated demand is at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(wage_min__isnull=True)
                | models.Q(wage_max__isnull=True)
                | models.Q(wage_max__gte=models.F("wage_min")),
                name="in_demand_wage_range_in_order",
                violation_error_message=_("The upper wage cannot be below the lower one."),
            ),
            models.CheckConstraint(
                condition=(models.Q(wage_min__isnull=True) & models.Q(wage_max__isnull=True))
                | (~models.Q(wage_currency="") & ~models.Q(wage_period="")),
                name="in_demand_wage_has_currency_and_period",
                violation_error_message=_("A wage needs its currency and period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study_id}: {self.occupation_id}"


class InDemandLanguage(models.Model):
    """A language an in-demand occupation requires, at a minimum CEFR level."""

    in_demand = models.ForeignKey(
        InDemandOccupation, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.ForeignKey(
        "taxonomy.Language", verbose_name=_("language"), on_delete=models.PROTECT
    )
    min_level = models.ForeignKey(
        "taxonomy.CefrLevel", verbose_name=_("minimum CEFR level"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("language requirement")
        verbose_name_plural = _("language requirements")
        constraints = [
            models.UniqueConstraint(
                fields=["in_demand", "language"], name="in_demand_language_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language_id} {self.min_level_id}"


VS = VacancyStatus
# A vacancy's life: the owner drafts and submits it, the ministry verifies and publishes it.
VACANCY_LIFECYCLE = Workflow(
    [
        Transition("submit", frozenset({VS.DRAFT}), VS.SUBMITTED, _("submitted for verification")),
        Transition(
            "send_back",
            frozenset({VS.SUBMITTED}),
            VS.DRAFT,
            _("sent back for corrections"),
            needs_reason=True,
        ),
        Transition("verify", frozenset({VS.SUBMITTED}), VS.VERIFIED, _("verified")),
        Transition("publish", frozenset({VS.VERIFIED}), VS.PUBLISHED, _("published")),
        Transition("close", frozenset({VS.PUBLISHED}), VS.CLOSED, _("closed for applications")),
        Transition("reopen", frozenset({VS.CLOSED}), VS.PUBLISHED, _("reopened")),
        Transition("fill", frozenset({VS.PUBLISHED, VS.CLOSED}), VS.FILLED, _("filled")),
        Transition(
            "cancel",
            frozenset({VS.DRAFT, VS.SUBMITTED, VS.VERIFIED, VS.PUBLISHED, VS.CLOSED}),
            VS.CANCELLED,
            _("cancelled"),
            needs_reason=True,
        ),
    ]
)


class VacancyQuerySet(models.QuerySet):
    def published(self) -> "VacancyQuerySet":
        return self.filter(status=VacancyStatus.PUBLISHED)

    def in_country(self, country_code: str) -> "VacancyQuerySet":
        return self.filter(country_id=country_code)

    def open_for_applications(self, today: datetime.date | None = None) -> "VacancyQuerySet":
        """Published, and the application deadline (if any) not passed."""
        today = today or timezone.localdate()
        return self.published().filter(
            models.Q(application_deadline__isnull=True) | models.Q(application_deadline__gte=today)
        )

    def visible_to(self, user) -> "VacancyQuerySet":
        """Ministry officers and caseworkers read every vacancy; an embassy officer those in the
        embassy's country; an employer's user the vacancies naming its employer; an agency's
        user its own job orders; nobody else."""
        if not _signed_in(user):
            return self.none()
        if user.role in {Role.MINISTRY_OFFICER, Role.CASEWORKER}:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            return self.filter(country_id=user.organisation.country_id)
        if user.role == Role.EMPLOYER and user.organisation_id:
            return self.filter(employer__organisation_id=user.organisation_id)
        if user.role == Role.AGENCY and user.organisation_id:
            return self.filter(agency__organisation_id=user.organisation_id)
        return self.none()

    def editable_by(self, user) -> "VacancyQuerySet":
        """The ministry edits every vacancy, an embassy those in its country, the owner its own:
        the agency that placed the order, otherwise the employer (only drafts are edited; see
        gza/demand/vacancies.py)."""
        if not _signed_in(user):
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER:
            return self.visible_to(user)
        if user.role == Role.EMPLOYER:
            return self.visible_to(user).filter(agency__isnull=True)
        if user.role == Role.AGENCY:
            return self.visible_to(user)
        return self.none()


class Vacancy(models.Model):
    """A job order: positions abroad offered by a foreign employer or through an agency."""

    employer = models.ForeignKey(
        ForeignEmployer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_orders",
    )
    country = models.ForeignKey(
        "taxonomy.Country", verbose_name=_("country"), on_delete=models.PROTECT
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("agreement or scheme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vacancies",
    )
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        limit_choices_to=UNIT_GROUP,
        error_messages=UNKNOWN_UNIT_GROUP,
    )
    # The job's title as the employer wrote it.
    title_ka = models.CharField(_("title (Georgian)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_ka = models.TextField(_("description (Georgian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    positions = models.PositiveIntegerField(_("positions"))
    wage_amount = models.DecimalField(_("wage"), max_digits=10, decimal_places=2)
    wage_currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    wage_period = models.CharField(_("wage period"), max_length=10, choices=WagePeriod.choices)
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"), null=True, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    housing_provided = models.BooleanField(_("housing provided"), default=False)
    travel_provided = models.BooleanField(_("travel paid"), default=False)
    insurance_provided = models.BooleanField(_("health insurance provided"), default=False)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    isced_level = models.ForeignKey(
        "taxonomy.IscedLevel",
        verbose_name=_("minimum education (ISCED)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    driving_licences = models.CharField(
        _("driving licence categories"),
        max_length=60,
        blank=True,
        validators=[validate_driving_licences],
        help_text=_("Comma-separated, for example B,C,CE."),
    )
    certificates = models.TextField(_("certificates"), blank=True)
    skills = models.ManyToManyField("taxonomy.EscoSkill", verbose_name=_("ESCO skills"), blank=True)
    selection_method = models.CharField(
        _("selection method"),
        max_length=10,
        choices=SelectionMethod.choices,
        default=SelectionMethod.RANKING,
    )
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VacancyStatus.choices, default=VS.DRAFT
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    # The owner's own reference (the agency's when an agency placed the order, otherwise the
    # employer's): a re-import with the same reference updates the vacancy.
    external_ref = models.CharField(_("external reference"), max_length=100, blank=True)
    # Both titles, normalised (gza.core.text.normalise_for_search), for word search on any
    # database; PostgreSQL adds a trigram index on it (migration 0002). Kept by save().
    search_text = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employer__isnull=False) | models.Q(agency__isnull=False),
                name="vacancy_has_employer_or_agency",
                violation_error_message=_("A vacancy names its employer or its agency."),
            ),
            models.CheckConstraint(
                condition=models.Q(positions__gte=1),
                name="vacancy_at_least_one_position",
                violation_error_message=_("A vacancy offers at least one position."),
            ),
            models.CheckConstraint(
                condition=models.Q(wage_amount__gt=0),
                name="vacancy_wage_positive",
                violation_error_message=_("The wage must be above zero."),
            ),
            models.CheckConstraint(
                condition=~models.Q(title_ka="") | ~models.Q(title_en=""),
                name="vacancy_has_title",
                violation_error_message=_("A vacancy needs a title in at least one language."),
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__isnull=True) | models.Q(hours_per_week__gte=1),
                name="vacancy_hours_positive",
                violation_error_message=_("Hours per week must be at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(contract_months__isnull=True) | models.Q(contract_months__gte=1),
                name="vacancy_contract_positive",
                violation_error_message=_("A contract lasts at least one month."),
            ),
            models.CheckConstraint(
                condition=models.Q(application_deadline__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(application_deadline__lte=models.F("start_date")),
                name="vacancy_deadline_before_start",
                violation_error_message=_("Applications must close before the job starts."),
            ),
            models.UniqueConstraint(
                fields=["agency", "external_ref"],
                condition=models.Q(agency__isnull=False) & ~models.Q(external_ref=""),
                name="vacancy_external_ref_unique_per_agency",
                violation_error_message=_("The agency already has a vacancy with this reference."),
            ),
            models.UniqueConstraint(
                fields=["employer", "external_ref"],
                condition=models.Q(agency__isnull=True) & ~models.Q(external_ref=""),
                name="vacancy_external_ref_unique_per_employer",
                violation_error_message=_(
                    "The employer already has a vacancy with this reference."
                ),
            ),
        ]

    title = translated("title")
    description = translated("description")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.search_text = normalise_for_search(f"{self.title_ka}\n{self.title_en}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("workspace:vacancy_detail", kwargs={"pk": self.pk})

    def allowed_transitions(self) -> list[Transition]:
        return VACANCY_LIFECYCLE.allowed_from(self.status)


class VacancyLanguage(models.Model):
    """A language the vacancy requires, at a minimum CEFR level."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(
        "taxonomy.Language", verbose_name=_("language"), on_delete=models.PROTECT
    )
    min_level = models.ForeignKey(
        "taxonomy.CefrLevel", verbose_name=_("minimum CEFR level"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("language requirement")
        verbose_name_plural = _("language requirements")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="vacancy_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.language_id} {self.min_level_id}"


class VacancyEvent(models.Model):
    """One row per move of a vacancy's status."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=30)
    from_status = models.CharField(
        _("from"), max_length=20, choices=VacancyStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=VacancyStatus.choices)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("vacancy event")
        verbose_name_plural = _("vacancy events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.from_status} → {self.to_status}"


def _employer_document_name(instance: "EmployerDocument", filename: str) -> str:
    return random_name("employers", filename)


class EmployerDocument(models.Model):
    """A document of a foreign employer: its registration certificate, licences, a sample
    contract. The file is kept in private storage under a random name; the name it came with is
    kept (cleaned) to offer it back on download."""

    employer = models.ForeignKey(
        ForeignEmployer,
        verbose_name=_("employer"),
        # An employer with documents is not deleted behind their files' back.
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmployerDocumentKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=DocumentLanguage.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"), upload_to=_employer_document_name, storage=get_private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer document")
        verbose_name_plural = _("employer documents")
        ordering = ["kind", "language", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workspace:employer_document", kwargs={"pk": self.pk})
