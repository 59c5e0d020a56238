from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.enums import (
    AccessAction,
    AuditVerb,
    ImportRowStatus,
    ImportStatus,
    OrganisationKind,
    Role,
)
from gza.core.errors import DomainError
from gza.core.uploads import get_private_storage, random_name


def translated(field: str) -> property:
    """A property returning `<field>_<active language>`, falling back to Georgian, then English.

    Content and reference data keep one column per language (`name_ka`, `name_en`); see
    docs/decisions/0003-translated-fields.md.
    """

    def getter(self: models.Model) -> str:
        language = (get_language() or "ka")[:2]
        return (
            getattr(self, f"{field}_{language}", "")
            or getattr(self, f"{field}_ka", "")
            or getattr(self, f"{field}_en", "")
        )

    getter.__name__ = field
    return property(getter)


class OrganisationQuerySet(models.QuerySet):
    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)

    def of_kind(self, *kinds: str) -> "OrganisationQuerySet":
        return self.filter(kind__in=kinds)


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name_ka = models.CharField(_("name (Georgian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    country = models.ForeignKey(
        "taxonomy.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("For an embassy, a foreign employer or a partner's employment service."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
    )
    city_ka = models.CharField(_("city (Georgian)"), max_length=100, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name_en"], name="organisation_kind_name_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.EMBASSY)
                | models.Q(country__isnull=False),
                name="organisation_embassy_has_country",
                violation_error_message=_("An embassy or consulate must name its country."),
            ),
        ]

    name = translated("name")
    city = translated("city")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspace:organisation_detail", kwargs={"pk": self.pk})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    # Staff sign in with their e-mail address. A job seeker who registered with a mobile number
    # may have no e-mail address; they sign in with one-time codes sent to the phone.
    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    phone = models.CharField(
        _("mobile phone"), max_length=20, unique=True, null=True, blank=True, help_text="E.164"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.NONE)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("ka", _("Georgian")), ("en", _("English"))],
        default="ka",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Django admin access; only administrators get it.
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_email_or_phone",
                violation_error_message=_("An account needs an e-mail address or a phone."),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or ""

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_staff_role(self) -> bool:
        from gza.core.roles import is_staff_role

        return is_staff_role(self.role)

    def has_right(self, right: str) -> bool:
        from gza.core.roles import has_right

        return has_right(self, right)


class AppendOnlyQuerySet(models.QuerySet):
    """Audit rows are written once; the product offers no way to change or remove them."""

    def update(self, **kwargs: Any) -> int:
        raise DomainError(DomainError.APPEND_ONLY)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise DomainError(DomainError.APPEND_ONLY)


class AppendOnlyModel(models.Model):
    """Base for audit tables. Database triggers (migration core.0002) enforce the same rule
    below the ORM on PostgreSQL."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise DomainError(DomainError.APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise DomainError(DomainError.APPEND_ONLY)


class AuditEvent(AppendOnlyModel):
    actor = models.ForeignKey(
        User, verbose_name=_("actor"), on_delete=models.PROTECT, null=True, blank=True
    )
    verb = models.CharField(_("verb"), max_length=40, choices=AuditVerb.choices)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("target type"), on_delete=models.PROTECT, null=True
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.target_type}:{self.target_id}"


class AccessLogEntry(AppendOnlyModel):
    """One row per view, export or change of a person's record (data-protection access log)."""

    actor = models.ForeignKey(User, verbose_name=_("who"), on_delete=models.PROTECT)
    action = models.CharField(_("action"), max_length=10, choices=AccessAction.choices)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT
    )
    subject_id = models.CharField(_("record id"), max_length=64)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("personal-data access")
        verbose_name_plural = _("personal-data access log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}:{self.subject_id}"
        )


def _import_file_name(instance: "ImportJob", filename: str) -> str:
    return random_name("imports", filename)


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ImportJobQuerySet":
        """A person sees the imports they started and, for the kinds they may run themselves,
        those of colleagues in their organisation."""
        from gza.core.imports import imports_for

        if not (getattr(user, "is_authenticated", False) and user.is_active):
            return self.none()
        kinds = [importer.name for importer in imports_for(user)]
        if not kinds:
            return self.none()
        mine = models.Q(created_by=user)
        if user.organisation_id:
            mine |= models.Q(organisation_id=user.organisation_id)
        return self.filter(mine, kind__in=kinds)


class ImportJob(models.Model):
    """One uploaded file being imported in the background (gza/core/imports.py): its progress,
    its counts and, in ImportRow, the outcome of each line."""

    # The registered import's name; not a choices field, so a new kind needs no migration.
    kind = models.CharField(_("kind"), max_length=40)
    file = models.FileField(
        _("file"), upload_to=_import_file_name, storage=get_private_storage, max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="import_jobs"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="import_jobs",
    )
    # The report's messages are written in the language of the person who started the import.
    language = models.CharField(
        _("language"), max_length=2, choices=[("ka", _("Georgian")), ("en", _("English"))]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    error_count = models.PositiveIntegerField(_("not imported"), default=0)
    # Why the whole file was refused or the import stopped; empty when it ran to the end.
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("workspace:import_job", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class ImportRow(models.Model):
    """The outcome of one line of an import: created, updated, or why it was not imported.
    A table rather than a JSON list on the job, so a 100,000-line report pages from the
    database instead of being loaded whole."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("line"))
    status = models.CharField(_("outcome"), max_length=10, choices=ImportRowStatus.choices)
    # The line's external reference (the import's key), to find it in the file.
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("import line")
        verbose_name_plural = _("import lines")
        ordering = ["job", "line"]
        indexes = [models.Index(fields=["job", "status", "line"])]
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_row_job_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line} {self.status}"
