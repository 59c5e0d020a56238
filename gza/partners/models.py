from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import Role
from gza.core.models import translated
from gza.core.workflow import Transition, Workflow
from gza.partners.enums import CooperationStage, EngagementKind, IndicatorKind

S = CooperationStage
_ACTIVE = frozenset(
    {S.IDENTIFIED, S.CONTACTED, S.INTEREST_EXPRESSED, S.NEGOTIATING, S.AGREEMENT_SIGNED}
)

# The cooperation pipeline. A country on hold resumes at the stage it is ready for.
COOPERATION = Workflow(
    [
        Transition(
            "contact", frozenset({S.IDENTIFIED, S.ON_HOLD}), S.CONTACTED, _("first contact made")
        ),
        Transition(
            "express_interest",
            frozenset({S.CONTACTED, S.ON_HOLD}),
            S.INTEREST_EXPRESSED,
            _("partner expressed interest"),
        ),
        Transition(
            "open_negotiations",
            frozenset({S.CONTACTED, S.INTEREST_EXPRESSED, S.ON_HOLD}),
            S.NEGOTIATING,
            _("negotiations opened"),
        ),
        Transition(
            "sign_agreement",
            frozenset({S.NEGOTIATING, S.ON_HOLD}),
            S.AGREEMENT_SIGNED,
            _("agreement signed"),
        ),
        Transition(
            "start_scheme",
            frozenset({S.AGREEMENT_SIGNED}),
            S.SCHEME_OPERATING,
            _("scheme started operating"),
        ),
        Transition(
            "put_on_hold",
            _ACTIVE | {S.SCHEME_OPERATING},
            S.ON_HOLD,
            _("put on hold"),
            needs_reason=True,
        ),
        Transition(
            "not_pursue",
            _ACTIVE | {S.ON_HOLD},
            S.NOT_PURSUED,
            _("decided not to pursue"),
            needs_reason=True,
        ),
        Transition(
            "reconsider",
            frozenset({S.NOT_PURSUED}),
            S.IDENTIFIED,
            _("reconsidered"),
            needs_reason=True,
        ),
    ]
)


class PartnerCountryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PartnerCountryQuerySet":
        """Ministry officers, caseworkers and analysts read every partner; an embassy officer
        the country of their embassy; nobody else."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role in {Role.MINISTRY_OFFICER, Role.CASEWORKER, Role.ANALYST}:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            return self.filter(country_id=user.organisation.country_id)
        return self.none()

    def editable_by(self, user) -> "PartnerCountryQuerySet":
        """Ministry officers edit every partner; an embassy officer their own country."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            return self.filter(country_id=user.organisation.country_id)
        return self.none()


class PartnerCountry(models.Model):
    """A country Georgia works with, or considers working with, on labour migration."""

    country = models.OneToOneField(
        "taxonomy.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="partnership",
    )
    stage = models.CharField(
        _("cooperation stage"),
        max_length=24,
        choices=CooperationStage.choices,
        default=CooperationStage.IDENTIFIED,
    )
    stage_since = models.DateField(_("stage since"), default=timezone.localdate)
    summary_ka = models.TextField(_("summary (Georgian)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PartnerCountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner country")
        verbose_name_plural = _("partner countries")
        ordering = ["country__name_en"]

    summary = translated("summary")

    def __str__(self) -> str:
        return str(self.country)

    def get_absolute_url(self) -> str:
        return reverse("workspace:partner_detail", kwargs={"code": self.country_id})

    def allowed_transitions(self) -> list[Transition]:
        return COOPERATION.allowed_from(self.stage)


class StageChange(models.Model):
    """One row per move of a partner's cooperation stage: who, when, from, to, why, source."""

    partner = models.ForeignKey(
        PartnerCountry, on_delete=models.CASCADE, related_name="stage_changes"
    )
    transition = models.CharField(_("transition"), max_length=30)
    from_stage = models.CharField(
        _("from"), max_length=24, choices=CooperationStage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=24, choices=CooperationStage.choices)
    occurred_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    source_document = models.CharField(_("source document"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.from_stage} → {self.to_stage}"


class Engagement(models.Model):
    partner = models.ForeignKey(
        PartnerCountry,
        verbose_name=_("partner country"),
        on_delete=models.CASCADE,
        related_name="engagements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices)
    occurred_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    organisations = models.ManyToManyField(
        "core.Organisation", verbose_name=_("participating organisations"), blank=True
    )
    summary_ka = models.TextField(_("summary (Georgian)"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    outcomes_ka = models.TextField(_("outcomes and follow-up (Georgian)"), blank=True)
    outcomes_en = models.TextField(_("outcomes and follow-up (English)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, editable=False
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-occurred_on", "-id"]

    summary = translated("summary")
    outcomes = translated("outcomes")

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_kind_display()}"


class CountryIndicator(models.Model):
    """A measured fact about a destination; every value names its source."""

    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    kind = models.CharField(_("indicator"), max_length=24, choices=IndicatorKind.choices)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3, null=True, blank=True)
    text_value = models.CharField(_("value (text)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    currency = models.CharField(_("currency"), max_length=12, blank=True)
    period = models.CharField(_("period"), max_length=20, help_text=_("for example 2024"))
    source = models.CharField(_("source"), max_length=300)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("country indicator")
        verbose_name_plural = _("country indicators")
        ordering = ["kind", "-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "period", "source"], name="indicator_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=""),
                name="indicator_has_source",
                violation_error_message=_("An indicator without a source is refused."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | ~models.Q(text_value=""),
                name="indicator_has_value",
                violation_error_message=_("An indicator needs a value."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.kind} {self.period}"
