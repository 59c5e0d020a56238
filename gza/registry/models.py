import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.enums import Role
from gza.core.validators import validate_personal_number
from gza.registry.enums import Sex


class JobSeekerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobSeekerQuerySet":
        """Only the people a user's work needs: ministry officers see the registry; a caseworker
        sees the people their organisation registered; a job seeker sees themself; everyone
        else (analysts, administrators, employers...) sees no one."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.CASEWORKER and user.organisation_id:
            return self.filter(registered_by_organisation_id=user.organisation_id)
        if user.role == Role.JOB_SEEKER:
            return self.filter(user=user)
        return self.none()

    def in_region(self, region_code: str) -> "JobSeekerQuerySet":
        return self.filter(municipality__region_id=region_code)


class JobSeeker(models.Model):
    """A Georgian citizen in the registry. Later issues add education, work history, skills,
    documents and consent; this is the identity and contact core."""

    # URLs carry this random id, never the personal number or a guessable sequence.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    personal_number = models.CharField(
        _("personal number"), max_length=11, unique=True, validators=[validate_personal_number]
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=100, blank=True)
    last_name_latin = models.CharField(_("last name (Latin)"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    municipality = models.ForeignKey(
        "taxonomy.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_seeker",
    )
    registered_by_organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JobSeekerQuerySet.as_manager()

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("workspace:job_seeker_detail", kwargs={"public_id": self.public_id})

    @property
    def display_name(self) -> str:
        """The name in Georgian script, or in Latin letters on English pages when recorded."""
        if (get_language() or "ka")[:2] == "en" and self.last_name_latin:
            return f"{self.first_name_latin} {self.last_name_latin}"
        return f"{self.first_name} {self.last_name}"


# The start of a job seeker's profile (issue 7 completes it): what labour-market studies weigh
# Georgian supply against. Occupations are ISCO-08 unit groups, as everywhere else.
MAX_YEARS_EXPERIENCE = 60


class SoughtOccupation(models.Model):
    """An occupation a job seeker seeks work in, with their years of experience in it."""

    job_seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="sought_occupations",
    )
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": 4},
        error_messages={"invalid": _("Unknown ISCO-08 unit group: %(value)s.")},
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)

    class Meta:
        verbose_name = _("occupation sought")
        verbose_name_plural = _("occupations sought")
        ordering = ["job_seeker", "occupation"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker", "occupation"],
                name="sought_occupation_once_per_person",
                violation_error_message=_("This occupation is already on the person's profile."),
            ),
            models.CheckConstraint(
                condition=models.Q(years_experience__gte=0)
                & models.Q(years_experience__lte=MAX_YEARS_EXPERIENCE),
                name="sought_occupation_experience_in_range",
                violation_error_message=_("Years of experience are between 0 and 60."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_seeker_id}: {self.occupation_id}"


class LanguageSkill(models.Model):
    """A language a job seeker speaks, at a CEFR level, with the certificate that shows it."""

    job_seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="language_skills",
    )
    language = models.ForeignKey(
        "taxonomy.Language", verbose_name=_("language"), on_delete=models.PROTECT
    )
    level = models.ForeignKey(
        "taxonomy.CefrLevel", verbose_name=_("CEFR level"), on_delete=models.PROTECT
    )
    certificate = models.CharField(
        _("certificate"),
        max_length=200,
        blank=True,
        help_text=_("The certificate's name, level and year, if the person has one."),
    )

    class Meta:
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        ordering = ["job_seeker", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker", "language"],
                name="language_skill_once_per_person",
                violation_error_message=_("This language is already on the person's profile."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_seeker_id}: {self.language_id} {self.level_id}"
