from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.enums import Role
from gza.core.models import translated
from gza.core.uploads import get_private_storage, random_name
from gza.core.workflow import Transition, Workflow
from gza.partners.enums import (
    ActionStatus,
    AgreementDocumentKind,
    AgreementKind,
    AgreementStatus,
    CooperationStage,
    DocumentLanguage,
    EngagementKind,
    IndicatorKind,
    Verdict,
)

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

    def engagements_recordable_by(self, user) -> "PartnerCountryQuerySet":
        """Those who edit a partner record its engagements; so does a caseworker whose
        organisation implements a pilot scheme with that partner (IOM for its pilots)."""
        editable = self.editable_by(user)
        if user.is_authenticated and user.role == Role.CASEWORKER and user.organisation_id:
            running = self.filter(
                agreements__kind=AgreementKind.PILOT,
                agreements__implementing_bodies=user.organisation_id,
            )
            return self.filter(pk__in=running.values("pk")) | editable
        return editable


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


A = AgreementStatus
AGREEMENT_LIFECYCLE = Workflow(
    [
        Transition("sign", frozenset({A.NEGOTIATING}), A.SIGNED, _("signed")),
        Transition("ratify", frozenset({A.SIGNED}), A.RATIFIED, _("ratified by both sides")),
        # A memorandum or a pilot needs no ratification and may take effect once signed.
        Transition(
            "enter_into_force",
            frozenset({A.SIGNED, A.RATIFIED}),
            A.IN_FORCE,
            _("entered into force"),
        ),
        Transition(
            "suspend", frozenset({A.IN_FORCE}), A.SUSPENDED, _("suspended"), needs_reason=True
        ),
        Transition("resume", frozenset({A.SUSPENDED}), A.IN_FORCE, _("resumed")),
        Transition("expire", frozenset({A.IN_FORCE, A.SUSPENDED}), A.EXPIRED, _("expired")),
    ]
)

# The date field each move fills in; ratification dates are recorded on the agreement first.
AGREEMENT_DATES = {
    "sign": "signed_on",
    "enter_into_force": "in_force_on",
    "suspend": "suspended_on",
    "expire": "expires_on",
}


class Agreement(models.Model):
    partner = models.ForeignKey(
        PartnerCountry,
        verbose_name=_("partner country"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title_ka = models.CharField(_("title (Georgian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    subject_ka = models.TextField(_("subject (Georgian)"), blank=True)
    subject_en = models.TextField(_("subject (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=A.NEGOTIATING
    )
    negotiation_opened_on = models.DateField(_("negotiation opened"), null=True, blank=True)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    ratified_georgia_on = models.DateField(_("ratified by Georgia"), null=True, blank=True)
    ratified_partner_on = models.DateField(_("ratified by the partner"), null=True, blank=True)
    in_force_on = models.DateField(_("in force from"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    suspended_on = models.DateField(_("suspended"), null=True, blank=True)
    occupations = models.ManyToManyField(
        "taxonomy.Occupation",
        verbose_name=_("occupations covered"),
        blank=True,
        limit_choices_to={"level": 4},
    )
    implementing_bodies = models.ManyToManyField(
        "core.Organisation", verbose_name=_("implementing bodies"), blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title_en"]

    title = translated("title")
    subject = translated("subject")

    # The order the dates of an agreement's life must keep: (earlier, later).
    DATE_ORDER = [
        ("negotiation_opened_on", "signed_on"),
        ("signed_on", "ratified_georgia_on"),
        ("signed_on", "ratified_partner_on"),
        ("signed_on", "in_force_on"),
        ("ratified_georgia_on", "in_force_on"),
        ("ratified_partner_on", "in_force_on"),
        ("in_force_on", "suspended_on"),
        ("in_force_on", "expires_on"),
    ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workspace:agreement_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        for earlier, later in self.DATE_ORDER:
            first, second = getattr(self, earlier), getattr(self, later)
            if first and second and second < first and later not in errors:
                errors[later] = ValidationError(
                    _(
                        "%(later)s (%(later_date)s) cannot come before "
                        "%(earlier)s (%(earlier_date)s)."
                    ),
                    code="date_order",
                    params={
                        "later": self._meta.get_field(later).verbose_name,
                        "later_date": second.isoformat(),
                        "earlier": self._meta.get_field(earlier).verbose_name,
                        "earlier_date": first.isoformat(),
                    },
                )
        if errors:
            raise ValidationError(errors)

    def allowed_transitions(self) -> list[Transition]:
        return AGREEMENT_LIFECYCLE.allowed_from(self.status)

    def quota_used(self, *, year: int, occupation_id: str | None = None) -> int:
        """How many places of a quota are used: this agreement's placements abroad whose
        contract starts in `year` (in that occupation, if given; a quota without an occupation
        counts every one), whatever became of them since — a place once filled stays used."""
        placements = self.placements.filter(contract_start__year=year)
        if occupation_id:
            placements = placements.filter(occupation_id=occupation_id)
        return placements.count()

    def quota_offered(self, *, year: int, occupation_id: str | None = None) -> int:
        """How many places of a quota are offered: the positions of this agreement's vacancies
        that are published, closed or filled and start in `year` (in that occupation, if given).
        Publishing a vacancy is refused beyond the quota by this count
        (gza/demand/vacancies.py); `quota_used` counts the places actually filled."""
        from gza.demand.enums import VacancyStatus

        vacancies = self.vacancies.filter(
            status__in=[VacancyStatus.PUBLISHED, VacancyStatus.CLOSED, VacancyStatus.FILLED],
            start_date__year=year,
        )
        if occupation_id:
            vacancies = vacancies.filter(occupation_id=occupation_id)
        return vacancies.aggregate(used=models.Sum("positions"))["used"] or 0


class AgreementQuota(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="quotas")
    year = models.PositiveSmallIntegerField(_("year"))
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": 4},
        help_text=_("Leave empty for a quota that covers every occupation."),
    )
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["year", "occupation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "occupation"], name="agreement_quota_unique"
            ),
            # NULLs are distinct in a unique index: one "every occupation" quota a year needs
            # its own rule.
            models.UniqueConstraint(
                fields=["agreement", "year"],
                condition=models.Q(occupation__isnull=True),
                name="agreement_quota_unique_all_occupations",
                violation_error_message=_(
                    "This agreement already has a quota for every occupation in that year."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.places}"

    @property
    def used(self) -> int:
        """The places used, for the agreement page (see Agreement.quota_used)."""
        return self.agreement.quota_used(year=self.year, occupation_id=self.occupation_id)

    @property
    def offered(self) -> int:
        """The places offered by published vacancies (see Agreement.quota_offered)."""
        return self.agreement.quota_offered(year=self.year, occupation_id=self.occupation_id)

    @property
    def near_limit(self) -> bool:
        """Nine places in ten used, or more: the agreement page warns."""
        return self.places > 0 and self.used * 10 >= self.places * 9


class AgreementEvent(models.Model):
    """One row per move of an agreement's status."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("transition"), max_length=30)
    from_status = models.CharField(_("from"), max_length=20, choices=AgreementStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=AgreementStatus.choices)
    occurred_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.from_status} → {self.to_status}"


class AssessmentWeights(models.Model):
    """The ministry's weights for the destination assessment; the newest row is in force and
    earlier rows are the history of the settings."""

    pay = models.PositiveSmallIntegerField(
        _("pay relative to Georgia"), default=35, validators=[MaxValueValidator(100)]
    )
    demand = models.PositiveSmallIntegerField(
        _("demand for occupations Georgians offer"), default=25, validators=[MaxValueValidator(100)]
    )
    legal_pathway = models.PositiveSmallIntegerField(
        _("legal pathway available"), default=25, validators=[MaxValueValidator(100)]
    )
    cooperation = models.PositiveSmallIntegerField(
        _("cooperation stage"), default=15, validators=[MaxValueValidator(100)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, null=True
    )
    created_at = models.DateTimeField(_("set on"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment weights")
        verbose_name_plural = _("assessment weights")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pay__lte=100)
                & models.Q(demand__lte=100)
                & models.Q(legal_pathway__lte=100)
                & models.Q(cooperation__lte=100),
                name="assessment_weights_at_most_100",
                violation_error_message=_("Each weight is between 0 and 100."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pay}/{self.demand}/{self.legal_pathway}/{self.cooperation}"

    @classmethod
    def current(cls) -> "AssessmentWeights":
        return cls.objects.first() or cls()


class Decision(models.Model):
    """A recorded judgement on a destination, with its reasoning (the Bulgaria decision of the
    founding briefing is the model)."""

    partner = models.ForeignKey(
        PartnerCountry,
        verbose_name=_("partner country"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    verdict = models.CharField(_("decision"), max_length=20, choices=Verdict.choices)
    reasoning_ka = models.TextField(_("reasoning (Georgian)"))
    reasoning_en = models.TextField(_("reasoning (English)"), blank=True)
    conditions_ka = models.TextField(_("conditions (Georgian)"), blank=True)
    conditions_en = models.TextField(_("conditions (English)"), blank=True)
    decided_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, null=True
    )
    # The assessment as it stood when the decision was taken, so the record can be read later.
    assessment = models.JSONField(_("assessment at the time"), default=dict, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-id"]

    reasoning = translated("reasoning")
    conditions = translated("conditions")

    def __str__(self) -> str:
        return f"{self.partner}: {self.get_verdict_display()}"

    def clean(self) -> None:
        if self.verdict == Verdict.WITH_CONDITIONS and not self.conditions_ka.strip():
            raise ValidationError(
                {
                    "conditions_ka": _(
                        "Name the conditions of an advisable-with-conditions decision."
                    )
                }
            )


class ActionPlan(models.Model):
    """A joint action plan (the Labour Ministry's proposal to the Foreign Ministry is the model)."""

    title_ka = models.CharField(_("title (Georgian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    period = models.CharField(_("period"), max_length=40, blank=True)
    organisations = models.ManyToManyField(
        "core.Organisation", verbose_name=_("organisations"), blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-created_at"]

    title = translated("title")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workspace:action_plan_detail", kwargs={"pk": self.pk})


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionQuerySet":
        """Ministry officers, caseworkers and analysts read every action; an embassy officer
        the actions on their country."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role in {Role.MINISTRY_OFFICER, Role.CASEWORKER, Role.ANALYST}:
            return self.all()
        if user.role == Role.EMBASSY_OFFICER:
            return self.filter(partner__in=PartnerCountry.objects.visible_to(user))
        return self.none()

    def overdue(self) -> "ActionQuerySet":
        return self.filter(
            due_on__lt=timezone.localdate(),
            status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        )


class Action(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    partner = models.ForeignKey(
        PartnerCountry,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="actions",
    )
    title_ka = models.CharField(_("action (Georgian)"), max_length=300)
    title_en = models.CharField(_("action (English)"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "core.Organisation", verbose_name=_("owner"), on_delete=models.PROTECT
    )
    responsible = models.CharField(_("responsible person"), max_length=200, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "id"]

    title = translated("title")

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        open_states = {ActionStatus.OPEN, ActionStatus.IN_PROGRESS}
        return self.status in open_states and self.due_on < timezone.localdate()


class ActionNote(models.Model):
    """A progress note; each status update leaves one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    text = models.TextField(_("progress note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


def _agreement_document_name(instance: "AgreementDocument", filename: str) -> str:
    return random_name("agreements", filename)


class AgreementDocument(models.Model):
    """A document of an agreement: its signed texts in each language, protocols, notes verbales.
    The file is kept in private storage under a random name; the name it came with is kept
    (cleaned) to offer it back on download."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        # An agreement with documents is not deleted behind their files' back.
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementDocumentKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=DocumentLanguage.choices)
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"), upload_to=_agreement_document_name, storage=get_private_storage, max_length=200
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
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        ordering = ["kind", "language", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workspace:agreement_document", kwargs={"pk": self.pk})
