"""Reintegration cases for returnees, placed through Gza or not (IOM assists returns from many
countries): needs assessment, an assistance plan, follow-ups at 3, 6 and 12 months with a
sustainability score in three dimensions, and closure."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import OrganisationKind, Role
from gza.reintegration.enums import (
    AssistanceKind,
    AssistanceStatus,
    CaseStatus,
    ClosureReason,
    NeedLevel,
    Vulnerability,
)

FOLLOW_UP_MONTHS = (3, 6, 12)


class ReintegrationCaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReintegrationCaseQuerySet":
        """The cases a user's work needs. Ministry officers and the state employment agency's
        caseworkers see all; a caseworker of IOM or an NGO sees the cases their organisation
        assists; a job seeker sees their own. Everyone else (embassies, employers, analysts)
        sees none: a reintegration case holds vulnerability and health needs."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.CASEWORKER and user.organisation_id:
            if user.organisation.kind == OrganisationKind.EMPLOYMENT_AGENCY:
                return self.all()
            return self.filter(organisation_id=user.organisation_id)
        if user.role == Role.JOB_SEEKER:
            return self.filter(job_seeker__user=user)
        return self.none()

    def open(self) -> "ReintegrationCaseQuerySet":
        return self.filter(status=CaseStatus.OPEN)

    def with_overdue_follow_ups(self, today=None) -> "ReintegrationCaseQuerySet":
        """Open cases with a follow-up past its due date and not done."""
        today = today or timezone.localdate()
        return self.open().filter(
            models.Exists(
                FollowUp.objects.filter(
                    case=models.OuterRef("pk"), done_on__isnull=True, due_on__lt=today
                )
            )
        )


class ReintegrationCase(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("returnee"),
        on_delete=models.PROTECT,
        related_name="reintegration_cases",
    )
    # Set when Gza placed the person; a returnee Gza did not place has none.
    placement = models.ForeignKey(
        "mobility.Placement",
        verbose_name=_("placement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reintegration_cases",
    )
    returned_from = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("returned from"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_on = models.DateField(_("returned on"))
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("assisting organisation"),
        on_delete=models.PROTECT,
        related_name="reintegration_cases",
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = ReintegrationCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("reintegration case")
        verbose_name_plural = _("reintegration cases")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.returned_from_id} · {self.returned_on}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:reintegration_case", kwargs={"public_id": self.public_id})

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class NeedsAssessment(models.Model):
    case = models.ForeignKey(
        ReintegrationCase, on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessed on"))
    economic = models.PositiveSmallIntegerField(_("economic needs"), choices=NeedLevel.choices)
    social = models.PositiveSmallIntegerField(_("social needs"), choices=NeedLevel.choices)
    psychosocial = models.PositiveSmallIntegerField(
        _("psychosocial needs"), choices=NeedLevel.choices
    )
    medical = models.PositiveSmallIntegerField(_("medical needs"), choices=NeedLevel.choices)
    vulnerability = models.CharField(
        _("vulnerability"), max_length=10, choices=Vulnerability.choices
    )
    notes = models.TextField(_("notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")
        ordering = ["case", "-assessed_on"]

    def __str__(self) -> str:
        return f"{self.assessed_on} · {self.get_vulnerability_display()}"


class AssistanceItem(models.Model):
    """One line of the assistance plan."""

    case = models.ForeignKey(ReintegrationCase, on_delete=models.CASCADE, related_name="plan")
    kind = models.CharField(_("assistance"), max_length=20, choices=AssistanceKind.choices)
    provider = models.CharField(_("provider"), max_length=200)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssistanceStatus.choices,
        default=AssistanceStatus.PLANNED,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("assistance item")
        verbose_name_plural = _("assistance items")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class FollowUp(models.Model):
    """A follow-up 3, 6 or 12 months after return, with the sustainability score in three
    dimensions (0-100 each, as in IOM's reintegration sustainability survey)."""

    case = models.ForeignKey(ReintegrationCase, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("month after return"))
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    economic = models.PositiveSmallIntegerField(
        _("economic"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    social = models.PositiveSmallIntegerField(
        _("social"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    psychosocial = models.PositiveSmallIntegerField(
        _("psychosocial"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["case", "month"]
        constraints = [
            models.UniqueConstraint(fields=["case", "month"], name="reintegration_follow_up_once")
        ]

    def __str__(self) -> str:
        return f"{self.month} · {self.due_on}"

    @property
    def sustainability(self) -> float | None:
        """The mean of the three dimensions, to one decimal; None until recorded."""
        scores = (self.economic, self.social, self.psychosocial)
        if self.done_on is None or any(score is None for score in scores):
            return None
        return round(sum(scores) / 3, 1)

    def is_overdue(self, today=None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())
