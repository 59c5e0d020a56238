from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.enums import AccessAction, AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError


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
    email = models.EmailField(_("e-mail address"), unique=True)
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

    def __str__(self) -> str:
        return self.full_name or self.email

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
