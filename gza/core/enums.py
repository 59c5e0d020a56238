from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    LABOUR_MINISTRY = "labour_ministry", _("labour ministry")
    EMPLOYMENT_AGENCY = "employment_agency", _("state employment agency")
    FOREIGN_MINISTRY = "foreign_ministry", _("foreign ministry")
    EMBASSY = "embassy", _("embassy or consulate")
    IOM_NGO = "iom_ngo", _("IOM or NGO")
    FOREIGN_EMPLOYER = "foreign_employer", _("foreign employer")
    PARTNER_PES = "partner_pes", _("partner country's public employment service")
    PRIVATE_AGENCY = "private_agency", _("licensed private employment agency")
    DIASPORA_ORGANISATION = "diaspora_organisation", _("diaspora organisation")
    MIGRATION_COMMISSION = "migration_commission", _("migration commission")


class Role(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", _("ministry officer")
    EMBASSY_OFFICER = "embassy_officer", _("embassy officer")
    CASEWORKER = "caseworker", _("caseworker")
    EMPLOYER = "employer", _("employer")
    AGENCY = "agency", _("agency")
    JOB_SEEKER = "job_seeker", _("job seeker")
    ANALYST = "analyst", _("analyst")
    CONTENT_EDITOR = "content_editor", _("content editor")
    ADMINISTRATOR = "administrator", _("administrator")
    # A signed-in account whose role was withdrawn: it keeps its history but may do nothing.
    NONE = "none", _("no role")


class AuditVerb(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    LOGGED_IN = "logged_in", _("logged in")
    LOGGED_OUT = "logged_out", _("logged out")
    LOGIN_FAILED = "login_failed", _("login failed")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("password reset requested")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("two-factor enrolled")
    TWO_FACTOR_VERIFIED = "two_factor_verified", _("two-factor verified")
    ROLE_CHANGED = "role_changed", _("role changed")
    REFERENCE_LOADED = "reference_loaded", _("reference data loaded")
    API_TOKEN_ISSUED = "api_token_issued", _("API token issued")
    EXPORTED = "exported", _("exported")


class AccessAction(models.TextChoices):
    VIEW = "view", _("viewed")
    EXPORT = "export", _("exported")
    CHANGE = "change", _("changed")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportRowStatus(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    ERROR = "error", _("not imported")
