"""Matching records: the weights the ministry sets per scheme, and each match run with its
ranked, explained result and the review that must come before anyone is contacted.

The engine (gza/matching/engine.py) computes; these models remember."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from gza.matching.enums import Component, Direction, EntryDecision, RunStatus, RunTrigger

# The national default when no scheme sets its own (percent points; only ratios matter).
DEFAULT_WEIGHTS: dict[str, int] = {
    Component.OCCUPATION: 35,
    Component.SKILLS: 20,
    Component.LANGUAGES: 15,
    Component.EXPERIENCE: 10,
    Component.EDUCATION: 5,
    Component.AVAILABILITY: 10,
    Component.COUNTRY: 5,
}
MAX_WEIGHT = 100


class MatchWeights(models.Model):
    """How much each component counts, for one scheme (agreement) or, with no agreement, for
    every vacancy outside a scheme. Whole numbers from 0 to 100; at least one above zero."""

    agreement = models.OneToOneField(
        "partners.Agreement",
        verbose_name=_("agreement or scheme"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="match_weights",
    )
    occupation = models.PositiveSmallIntegerField(_("occupation"), default=35)
    skills = models.PositiveSmallIntegerField(_("skills"), default=20)
    languages = models.PositiveSmallIntegerField(_("languages"), default=15)
    experience = models.PositiveSmallIntegerField(_("experience"), default=10)
    education = models.PositiveSmallIntegerField(_("education"), default=5)
    availability = models.PositiveSmallIntegerField(_("availability"), default=10)
    country = models.PositiveSmallIntegerField(_("desired country"), default=5)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")
        constraints = [
            # One row per scheme and one national default (NULL agreement counts as 0).
            models.UniqueConstraint(
                Coalesce("agreement", models.Value(0)), name="matching_weights_once_per_scheme"
            )
        ]

    def __str__(self) -> str:
        return str(self.agreement) if self.agreement_id else str(_("national default"))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in Component.values}

    def clean(self) -> None:
        errors = {}
        for name in Component.values:
            value = getattr(self, name)
            if value is None or value < 0 or value > MAX_WEIGHT:
                errors[name] = _("A weight is a whole number from 0 to 100.")
        if not errors and not any(getattr(self, name) for name in Component.values):
            raise ValidationError(_("At least one weight must be above zero."))
        if errors:
            raise ValidationError(errors)


class MatchRun(models.Model):
    """One computation of a ranked list: a vacancy's shortlist of job seekers, or a job
    seeker's recommended vacancies. Kept with its parameters so it can be explained later.
    A shortlist must be reviewed by a person before anyone on it is contacted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    vacancy = models.ForeignKey(
        "demand.Vacancy",
        verbose_name=_("vacancy"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="match_runs",
    )
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="match_runs",
    )
    trigger = models.CharField(_("started"), max_length=20, choices=RunTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    # Weights, limit, the date the run was computed for and the engine version.
    parameters = models.JSONField(_("parameters"), default=dict)
    considered = models.PositiveIntegerField(_("records considered"), default=0)
    passed_filters = models.PositiveIntegerField(_("passed the hard filters"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.TO_REVIEW
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(direction=Direction.SHORTLIST, vacancy__isnull=False)
                    | models.Q(direction=Direction.RECOMMENDATIONS, job_seeker__isnull=False)
                ),
                name="matching_run_has_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_reviewed(self) -> bool:
        return self.status == RunStatus.REVIEWED


class MatchRunEntry(models.Model):
    """One line of a run's ranked result, with the score explained component by component:
    components = {"occupation": {"value": 0..100, "weight": w, "detail": "..."}, ...}."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="entries")
    rank = models.PositiveIntegerField(_("rank"))
    job_seeker = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    vacancy = models.ForeignKey(
        "demand.Vacancy", verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    components = models.JSONField(_("components"), default=dict)
    decision = models.CharField(
        _("decision"), max_length=10, choices=EntryDecision.choices, default=EntryDecision.PENDING
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("match run entry")
        verbose_name_plural = _("match run entries")
        ordering = ["run", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "rank"], name="matching_entry_rank_once")
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.score}"
