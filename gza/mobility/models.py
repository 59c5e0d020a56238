"""Pre-departure (checklist, orientation sessions, attendance and certificates), placements
abroad with their promised terms, check-ins answered by the worker, grievances with deadlines
and escalation, and the return."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import Role
from gza.mobility.enums import (
    ChecklistItem,
    EarlyReturnReason,
    GrievanceCategory,
    GrievanceSource,
    GrievanceStatus,
    PaidAsPromised,
    PayPeriod,
    PlacementStatus,
    ReturnKind,
    Severity,
)

# A transferred worker still works abroad, for another employer: they are not free for the next
# season until they return.
ABROAD = frozenset({PlacementStatus.ACTIVE, PlacementStatus.TRANSFERRED})


class ChecklistMark(models.Model):
    """One pre-departure item done for an application (contract, medical, insurance...)."""

    application = models.ForeignKey(
        "recruitment.Application", on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.CharField(_("item"), max_length=20, choices=ChecklistItem.choices)
    done_on = models.DateField(_("done on"))
    # The contract's language (ChecklistItem.CONTRACT): one the worker understands.
    language = models.ForeignKey(
        "taxonomy.Language",
        verbose_name=_("language"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("pre-departure checklist item")
        verbose_name_plural = _("pre-departure checklist items")
        ordering = ["application", "item"]
        constraints = [
            models.UniqueConstraint(fields=["application", "item"], name="mobility_item_once")
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class OrientationSession(models.Model):
    starts_at = models.DateTimeField(_("starts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online = models.BooleanField(_("online"), default=False)
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="orientation_sessions",
    )
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("agreement or scheme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orientation_sessions",
    )
    topics_ka = models.TextField(_("topics (Georgian)"))
    topics_en = models.TextField(_("topics (English)"), blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("orientation session")
        verbose_name_plural = _("orientation sessions")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d} {self.place or _('online')}"


class Attendance(models.Model):
    """A person invited to a session; once attended, a certificate with a code anyone can
    verify on the portal."""

    session = models.ForeignKey(
        OrientationSession, on_delete=models.CASCADE, related_name="attendances"
    )
    application = models.ForeignKey(
        "recruitment.Application", on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("attended"), null=True)
    certificate_code = models.CharField(
        _("certificate code"), max_length=20, unique=True, null=True, blank=True
    )
    certificate_issued_at = models.DateTimeField(_("certificate issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "application"], name="mobility_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return str(self.session)


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PlacementQuerySet":
        """Ministry officers see every placement; an embassy officer those in the embassy's
        country; a caseworker those of the people they see in the registry; a job seeker their
        own; nobody else (outside scope is a 404)."""
        from gza.registry.models import JobSeeker

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            return self.filter(country_id=user.organisation.country_id)
        if user.role == Role.CASEWORKER:
            return self.filter(job_seeker__in=JobSeeker.objects.visible_to(user))
        if user.role == Role.JOB_SEEKER:
            return self.filter(job_seeker__user=user)
        return self.none()

    def abroad(self) -> "PlacementQuerySet":
        """Placements the worker is still working under: active, or moved to another employer
        in the same country (JobSeekerQuerySet.currently_placed)."""
        return self.filter(status__in=ABROAD)


class Placement(models.Model):
    """Employment abroad, created at departure, with the terms promised before it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.OneToOneField(
        "recruitment.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="placement",
    )
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    employer = models.ForeignKey(
        "demand.ForeignEmployer",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    agreement = models.ForeignKey(
        "partners.Agreement",
        verbose_name=_("agreement or scheme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    country = models.ForeignKey(
        "taxonomy.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    departure_date = models.DateField(_("departed"))
    contract_start = models.DateField(_("contract from"))
    contract_end = models.DateField(_("contract until"))
    # The promised terms, against which check-in answers are compared.
    pay_amount = models.DecimalField(_("promised pay"), max_digits=10, decimal_places=2)
    pay_currency = models.CharField(_("currency"), max_length=3)
    pay_period = models.CharField(_("pay period"), max_length=10, choices=PayPeriod.choices)
    hours_per_week = models.PositiveSmallIntegerField(_("promised hours per week"))
    housing_provided = models.BooleanField(_("housing provided"), default=False)
    housing_cost = models.DecimalField(
        _("housing cost per month"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    deductions = models.CharField(_("other deductions"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE
    )
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-departure_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(contract_start__gte=models.F("departure_date")),
                name="mobility_placement_starts_after_departure",
            ),
            models.CheckConstraint(
                condition=models.Q(contract_end__gt=models.F("contract_start")),
                name="mobility_placement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} · {self.country_id} · {self.departure_date}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:placement_detail", kwargs={"public_id": self.public_id})


class PlacementEvent(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from"), max_length=20, choices=PlacementStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=PlacementStatus.choices)
    occurred_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("placement event")
        verbose_name_plural = _("placement events")
        ordering = ["occurred_on", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class CheckIn(models.Model):
    """A scheduled question to the worker (two weeks after arrival, then monthly) and the
    answer, compared with the promised terms."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="check_ins")
    sequence = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    paid_as_promised = models.CharField(
        _("paid as promised"), max_length=10, choices=PaidAsPromised.choices, blank=True
    )
    pay_received = models.DecimalField(
        _("pay received (per the promised period)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours worked per week"), null=True)
    housing_as_promised = models.BooleanField(_("housing as promised"), null=True)
    documents_held_by_employer = models.BooleanField(
        _("the employer keeps the worker's passport or documents"), null=True
    )
    feels_safe = models.BooleanField(_("feels safe"), null=True)
    comment = models.TextField(_("comment"), blank=True)
    # The differences from the promised terms found in the answer (codes).
    breaches = models.JSONField(_("breaches"), default=list, blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["placement", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "sequence"], name="mobility_check_in_once")
        ]

    def __str__(self) -> str:
        return f"{self.sequence} · {self.due_on}"


class Grievance(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        related_name="grievances",
    )
    placement = models.ForeignKey(
        Placement,
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grievances",
    )
    check_in = models.ForeignKey(
        CheckIn,
        verbose_name=_("check-in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grievances",
    )
    source = models.CharField(_("raised by"), max_length=20, choices=GrievanceSource.choices)
    category = models.CharField(_("category"), max_length=30, choices=GrievanceCategory.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("what happened"))
    status = models.CharField(
        _("status"), max_length=20, choices=GrievanceStatus.choices, default=GrievanceStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    response_due_at = models.DateTimeField(_("answer due"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ManyToManyField(
        "core.Organisation", verbose_name=_("escalated to"), blank=True, related_name="+"
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    worker_rating = models.PositiveSmallIntegerField(
        _("the worker's rating (1-5)"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        ordering = ["response_due_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.get_status_display()}"


class GrievanceEvent(models.Model):
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("grievance event")
        verbose_name_plural = _("grievance events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return self.action


class Return(models.Model):
    placement = models.OneToOneField(
        Placement, verbose_name=_("placement"), on_delete=models.PROTECT, related_name="homecoming"
    )
    kind = models.CharField(_("return"), max_length=10, choices=ReturnKind.choices)
    reason = models.CharField(
        _("reason for returning early"),
        max_length=20,
        choices=EarlyReturnReason.choices,
        blank=True,
    )
    returned_on = models.DateField(_("returned on"))
    referred_to_reintegration = models.BooleanField(_("referred to reintegration"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.returned_on}"
