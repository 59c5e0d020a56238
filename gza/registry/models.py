import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.enums import OrganisationKind, Role
from gza.core.uploads import get_private_storage, random_name
from gza.core.validators import validate_personal_number
from gza.demand.validators import validate_driving_licences
from gza.registry.enums import (
    ConsentPurpose,
    DeletionRequestStatus,
    JobSeekerDocumentKind,
    ProfileStep,
    RecordStatus,
    RegistrationChannel,
    Sex,
    WorkPattern,
)

# The search's dictionary of names; imported so Django registers its models with this app.
from gza.registry.name_index import NameKey, NameKeyVariant, index_names  # noqa: F401
from gza.registry.names import name_key, romanise
from gza.registry.validators import (
    normalise_phone,
    validate_birth_date,
    validate_georgian_name,
    validate_latin_name,
    validate_passport_number,
)


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of a string of digits: one mistyped digit or swapped pair of
    neighbours in a registration number is caught before a search."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_registration_number() -> str:
    """Ten digits: nine random ones (the first not zero) and a Luhn check digit. Random rather
    than sequential, so that numbers can be issued by many processes at once without a shared
    counter, and a number says nothing about when or where the person registered."""
    body = str(secrets.randbelow(900_000_000) + 100_000_000)
    return body + luhn_digit(body)


def is_valid_registration_number(value: str) -> bool:
    return len(value) == 10 and value.isdigit() and luhn_digit(value[:9]) == value[9]


class JobSeekerQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobSeekerQuerySet":
        """Only the people a user's work needs (issue 7, item 10). Ministry officers see the
        registry, and so do caseworkers of the state employment agency, which keeps it and runs
        the service centres; other caseworkers (IOM, NGOs) see the people their organisation
        registered; embassy officers see the people placed in their country; a job seeker sees
        themself. Employers see no one here: they get shortlisted, consenting profiles through
        `gza.registry.search.employer_view()`. Analysts and everyone else see no one.

        Merged records stay visible, so a merged record's page can say where it went; lists
        add `.active()`."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.role == Role.MINISTRY_OFFICER:
            return self.all()
        if user.role == Role.CASEWORKER and user.organisation_id:
            if user.organisation.kind == OrganisationKind.EMPLOYMENT_AGENCY:
                return self.all()
            return self.filter(registered_by_organisation_id=user.organisation_id)
        if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
            return self.placed_in(user.organisation.country_id)
        if user.role == Role.JOB_SEEKER:
            return self.filter(user=user)
        return self.none()

    def placed_in(self, country_code: str | None) -> "JobSeekerQuerySet":
        """People with a placement in a country, whatever its status (an embassy keeps seeing
        the people it looked after once they are home)."""
        if not country_code:
            return self.none()
        return self.filter(placements__country_id=country_code).distinct()

    def currently_placed(self) -> "JobSeekerQuerySet":
        """People working abroad through a placement now (active, or transferred to another
        employer there), whom matching leaves out; recording their return frees them."""
        from gza.mobility.models import ABROAD

        return self.filter(placements__status__in=ABROAD).distinct()

    def active(self) -> "JobSeekerQuerySet":
        """Records in use: not merged into another."""
        return self.filter(status=RecordStatus.ACTIVE)

    def consenting_to(self, purpose: str) -> "JobSeekerQuerySet":
        """People whose consent for `purpose` is given and not withdrawn."""
        return self.filter(
            consents__purpose=purpose, consents__withdrawn_at__isnull=True
        ).distinct()

    def shareable_with_employers(self) -> "JobSeekerQuerySet":
        """What an employer may ever be shown: active records with a standing consent to share
        the profile with foreign employers. Withdrawing that consent removes the person."""
        return self.active().consenting_to(ConsentPurpose.EMPLOYER_SHARING)

    def in_region(self, region_code: str) -> "JobSeekerQuerySet":
        return self.filter(municipality__region_id=region_code)


class JobSeeker(models.Model):
    """A person in the registry: identity, contacts and the profile the wizard fills in.

    Sex and date of birth are kept for identity and for auditing outcomes; they never enter a
    match or ranking score (see gza/matching when it lands)."""

    # URLs carry this random id, never the personal number or a guessable sequence.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration_number = models.CharField(
        _("registration number"),
        max_length=10,
        unique=True,
        editable=False,
        help_text=_("Given once for life; shown to the person."),
    )
    status = models.CharField(
        _("record status"),
        max_length=10,
        choices=RecordStatus.choices,
        default=RecordStatus.ACTIVE,
        editable=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
    )
    personal_number = models.CharField(
        _("personal number"),
        max_length=11,
        unique=True,
        validators=[validate_personal_number],
        error_messages={"unique": _("A person with this personal number is already registered.")},
    )
    first_name = models.CharField(
        _("first name"), max_length=100, validators=[validate_georgian_name]
    )
    last_name = models.CharField(
        _("last name"), max_length=100, validators=[validate_georgian_name]
    )
    first_name_latin = models.CharField(
        _("first name (Latin)"), max_length=100, blank=True, validators=[validate_latin_name]
    )
    last_name_latin = models.CharField(
        _("last name (Latin)"), max_length=100, blank=True, validators=[validate_latin_name]
    )
    # Script-independent skeletons of the names (gza/registry/names.py), kept by save() for
    # cross-script search and duplicate detection.
    first_name_key = models.CharField(max_length=100, editable=False, db_index=True, default="")
    last_name_key = models.CharField(max_length=100, editable=False, db_index=True, default="")
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("date of birth"), validators=[validate_birth_date])
    citizenship = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("citizenship"),
        on_delete=models.PROTECT,
        default="GE",
        related_name="+",
    )
    municipality = models.ForeignKey(
        "taxonomy.Municipality", verbose_name=_("municipality"), on_delete=models.PROTECT
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail address"), blank=True, db_index=True)
    passport_number = models.CharField(
        _("passport number"), max_length=12, blank=True, validators=[validate_passport_number]
    )
    passport_expiry = models.DateField(_("passport valid until"), null=True, blank=True)
    # The profile (the wizard's later steps).
    availability_date = models.DateField(_("available from"), null=True, blank=True)
    work_pattern = models.CharField(
        _("seasonal or long-term"),
        max_length=10,
        choices=WorkPattern.choices,
        default=WorkPattern.EITHER,
    )
    driving_licences = models.CharField(
        _("driving licence categories"),
        max_length=60,
        blank=True,
        validators=[validate_driving_licences],
        help_text=_("Comma-separated, for example B,C,CE."),
    )
    skills = models.ManyToManyField(
        "taxonomy.EscoSkill", verbose_name=_("ESCO skills"), blank=True, related_name="+"
    )
    desired_countries = models.ManyToManyField(
        "taxonomy.Country", verbose_name=_("desired countries"), blank=True, related_name="+"
    )
    last_schengen_stay_end = models.DateField(
        _("last stay in the Schengen area ended"),
        null=True,
        blank=True,
        help_text=_("Some schemes require no stay in the Schengen area in recent months."),
    )
    profile_step = models.CharField(
        _("profile step"),
        max_length=20,
        choices=ProfileStep.choices,
        default=ProfileStep.IDENTITY,
        help_text=_("Where the person left the profile wizard."),
    )
    profile_completed_at = models.DateTimeField(_("profile completed"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_seeker",
    )
    registered_via = models.CharField(
        _("registered through"),
        max_length=10,
        choices=RegistrationChannel.choices,
        default=RegistrationChannel.ASSISTED,
    )
    registered_by_organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    external_ref = models.CharField(
        _("external reference"),
        max_length=100,
        blank=True,
        help_text=_("The record's reference in the system it was imported from."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = JobSeekerQuerySet.as_manager()

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["birth_date", "last_name_key"], name="job_seeker_dob_name"),
            # The name search fetches people by surname and first-name key together.
            models.Index(fields=["last_name_key", "first_name_key"], name="job_seeker_name_keys"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=RecordStatus.MERGED)
                | models.Q(merged_into__isnull=False),
                name="job_seeker_merged_has_survivor",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_name_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_name_key", "last_name_key"}
        # Keep the search's dictionary of names up to date (gza/registry/name_index.py).
        index_names((self.first_name_key, self.last_name_key))
        if self.registration_number:
            super().save(*args, **kwargs)
            return
        # A new random number: on the rare clash with an existing one, draw again.
        for _attempt in range(5):
            self.registration_number = new_registration_number()
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                clash = JobSeeker.objects.filter(
                    registration_number=self.registration_number
                ).exists()
                self.registration_number = ""
                self.pk = None
                if not clash:
                    raise
        raise IntegrityError("No free registration number after 5 draws.")

    def get_absolute_url(self) -> str:
        return reverse("workspace:job_seeker_detail", kwargs={"public_id": self.public_id})

    @property
    def display_name(self) -> str:
        """The name in Georgian script, or in Latin letters on English pages when recorded."""
        if (get_language() or "ka")[:2] == "en" and self.last_name_latin:
            return f"{self.first_name_latin} {self.last_name_latin}"
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        super().clean()
        if self.phone:
            try:
                self.phone = normalise_phone(self.phone)
            except ValidationError as error:
                raise ValidationError({"phone": error.messages}) from None
        if self.email:
            self.email = self.email.strip().lower()

    def suggest_latin_names(self) -> None:
        """Fill empty Latin names from the Georgian ones by the national romanisation, as the
        passport writes them; a name the person or officer typed is kept."""
        if not self.first_name_latin and self.first_name:
            self.first_name_latin = romanise(self.first_name)
        if not self.last_name_latin and self.last_name:
            self.last_name_latin = romanise(self.last_name)

    def refresh_name_keys(self) -> None:
        """Recompute the name keys; save() does it, bulk writes must call this themselves."""
        # From the Georgian name, the one on the ID card; a Latin form that romanises
        # differently is still found by the search's fuzzy step.
        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)

    def age_on(self, day) -> int:
        from gza.registry.validators import age_on

        return age_on(self.birth_date, day)


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


class Education(models.Model):
    job_seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE, related_name="education"
    )
    isced_level = models.ForeignKey(
        "taxonomy.IscedLevel", verbose_name=_("level (ISCED)"), on_delete=models.PROTECT
    )
    field = models.CharField(_("field of study"), max_length=200, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    year_completed = models.PositiveSmallIntegerField(
        _("year completed"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the studies are not finished."),
    )

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")
        ordering = ["job_seeker", "-year_completed", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_completed__isnull=True)
                | (models.Q(year_completed__gte=1940) & models.Q(year_completed__lte=2100)),
                name="education_year_in_range",
                violation_error_message=_("The year completed is between 1940 and 2100."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.isced_level_id} {self.field}"


class WorkExperience(models.Model):
    """A job the person held: the occupation as they typed it, and its ISCO-08 code."""

    job_seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="work_experience",
    )
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        default="GE",
        related_name="+",
    )
    occupation_text = models.CharField(_("occupation, as the person wrote it"), max_length=200)
    occupation = models.ForeignKey(
        "taxonomy.Occupation",
        verbose_name=_("occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": 4},
        null=True,
        blank=True,
        related_name="+",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty if current."))
    tasks = models.TextField(_("tasks"), blank=True, max_length=2000)
    # Added from a placement abroad on return (issue 6), rather than declared by the person.
    from_placement = models.BooleanField(_("from a placement through Gza"), default=False)

    class Meta:
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")
        ordering = ["job_seeker", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="work_experience_dates_in_order",
                violation_error_message=_("A job cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.occupation_text


class Certificate(models.Model):
    """A vocational certificate or licence (welding, forklift, first aid...)."""

    job_seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    name = models.CharField(_("certificate"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["job_seeker", "name", "id"]

    def __str__(self) -> str:
        return self.name


def _document_name(instance: "JobSeekerDocument", filename: str) -> str:
    return random_name("job-seekers", filename)


class JobSeekerDocument(models.Model):
    """A person's CV, diploma, certificate or passport copy, kept in private storage under a
    random name and served only through a permission-checked view that logs the access."""

    job_seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=JobSeekerDocumentKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    file = models.FileField(
        _("file"), upload_to=_document_name, storage=get_private_storage, max_length=200
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
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["job_seeker", "kind", "-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.title or self.original_name


class ConsentText(models.Model):
    """One version of the text a person agrees to for one purpose. Published versions are
    never edited: a change is a new version, so every consent shows what was agreed to."""

    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    text_ka = models.TextField(_("text (Georgian)"))
    text_en = models.TextField(_("text (English)"))
    effective_from = models.DateField(_("in use from"))

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "version"], name="consent_text_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    @property
    def text(self) -> str:
        return self.text_en if (get_language() or "ka")[:2] == "en" else self.text_ka


class Consent(models.Model):
    """A person's consent for one purpose: when, to which version of the text, through whom;
    and when it was withdrawn. A new consent after a withdrawal is a new row."""

    job_seeker = models.ForeignKey(
        JobSeeker, verbose_name=_("job seeker"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    text = models.ForeignKey(
        ConsentText, verbose_name=_("text agreed to"), on_delete=models.PROTECT
    )
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The officer who recorded a consent given at a service centre."),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["job_seeker", "purpose", "-given_at"]
        constraints = [
            # At most one standing consent per person and purpose.
            models.UniqueConstraint(
                fields=["job_seeker", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_standing_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_seeker_id}: {self.purpose}"


class DeletionRequest(models.Model):
    """A person's request to delete their record, decided by the ministry: the law may require
    keeping parts (placements, grievances) for a time; the decision and its reason are kept."""

    job_seeker = models.ForeignKey(
        JobSeeker,
        verbose_name=_("job seeker"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="deletion_requests",
    )
    registration_number = models.CharField(_("registration number"), max_length=10)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeletionRequestStatus.choices,
        default=DeletionRequestStatus.OPEN,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_seeker"],
                condition=models.Q(status="open"),
                name="deletion_request_one_open",
                violation_error_message=_("A request to delete this record is already open."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.status}"


# Likely duplicates and merges live in their own module (issue 7, duplicates); imported here so
# Django registers them with this app.
from gza.registry.duplicate_models import DuplicateCandidate, MergeRecord  # noqa: E402, F401

# Eligibility rules of vacancies and schemes live beside the self-check that reads them.
from gza.registry.eligibility import EligibilityRule  # noqa: E402, F401

# Notifications at the key steps of the journey, written in the person's language when sent.
from gza.registry.notifications import Notification  # noqa: E402, F401

# One-time codes and their rate-limit tallies live beside the code that uses them.
from gza.registry.otp import CodeRequestTally, OneTimeCode  # noqa: E402, F401
