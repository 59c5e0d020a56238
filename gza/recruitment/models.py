"""Applications (one per job seeker and vacancy) with their stage log, and selection rounds:
the seeded lottery or the ranking that chooses among eligible applicants, published with its
seed and order so anyone can re-run it, and its outcome audit by sex, age band and region."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import Role
from gza.recruitment.enums import (
    ActorKind,
    RejectionReason,
    RoundOutcome,
    RoundStatus,
    Stage,
    StartedVia,
)


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApplicationQuerySet":
        """A job seeker sees their own applications; an employer's user the applications to
        its vacancies from screening on (gza/web/workspace/recruitment.py shows them without
        identity until consent and selection); an officer who manages applications those of the
        people and vacancies they see. Everyone else sees none."""
        from gza.core.roles import Right, has_right
        from gza.demand.models import Vacancy
        from gza.recruitment.workflow import SEEN_BY_EMPLOYER
        from gza.registry.models import JobSeeker

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.JOB_SEEKER:
            return self.filter(job_seeker__user=user)
        if user.role == Role.EMPLOYER and user.organisation_id:
            return self.filter(
                vacancy__employer__organisation_id=user.organisation_id,
                stage__in=SEEN_BY_EMPLOYER,
            )
        if has_right(user, Right.APPLICATIONS_MANAGE):
            return self.filter(
                job_seeker__in=JobSeeker.objects.visible_to(user),
                vacancy__in=Vacancy.objects.visible_to(user),
            )
        return self.none()

    def of_vacancy(self, vacancy) -> "ApplicationQuerySet":
        return self.filter(vacancy=vacancy)


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("job seeker"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    vacancy = models.ForeignKey(
        "demand.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    stage_since = models.DateTimeField(_("in this stage since"), default=timezone.now)
    started_via = models.CharField(_("started"), max_length=20, choices=StartedVia.choices)
    # The reviewed shortlist line an officer started it from (StartedVia.SHORTLIST).
    shortlist_entry = models.ForeignKey(
        "matching.MatchRunEntry",
        verbose_name=_("shortlist line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    match_score = models.DecimalField(
        _("match score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rejection_reason = models.CharField(
        _("reason for rejection"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker", "vacancy"], name="recruitment_one_application_per_vacancy"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vacancy} · {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:application_detail", kwargs={"public_id": self.public_id})


class ApplicationEvent(models.Model):
    """One move of an application: who (and as what), when, from, to, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=30)
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_kind = models.CharField(_("acting as"), max_length=20, choices=ActorKind.choices)
    reason_code = models.CharField(
        _("reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


class SelectionRound(models.Model):
    """A choice among a vacancy's eligible applicants: a seeded lottery (anyone can re-run it
    from the published seed and list) or a ranking by match score. Published rounds are
    final: a lottery is never re-drawn."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    vacancy = models.ForeignKey(
        "demand.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.PROTECT,
        related_name="selection_rounds",
    )
    method = models.CharField(_("method"), max_length=10)  # demand.enums.SelectionMethod
    places = models.PositiveIntegerField(_("places"))
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    # Outcome rates by sex, age band and region, and the groups below 0.8 of the best:
    # {"sex": {"f": {"eligible": n, "selected": k, "rate": r, "flagged": bool}, ...}, ...}
    audit = models.JSONField(_("outcome audit"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("selection round")
        verbose_name_plural = _("selection rounds")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.vacancy} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:selection_round", kwargs={"public_id": self.public_id})

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class SelectionRoundEntry(models.Model):
    """An eligible applicant's place in the round's order, and what came of it."""

    round = models.ForeignKey(SelectionRound, on_delete=models.CASCADE, related_name="entries")
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="round_entries"
    )
    position = models.PositiveIntegerField(_("position"))
    # The lottery's key for this applicant (hex), or the match score for a ranking.
    draw_key = models.CharField(_("draw key"), max_length=64, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=RoundOutcome.choices)

    class Meta:
        verbose_name = _("selection round line")
        verbose_name_plural = _("selection round lines")
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "position"], name="recruitment_round_position"
            ),
            models.UniqueConstraint(
                fields=["round", "application"], name="recruitment_round_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.get_outcome_display()}"
