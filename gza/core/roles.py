"""The role matrix: what each role may do, as data.

Views and querysets ask `has_right(user, Right.X)`; the matrix test in tests/core/test_roles.py
walks every role over every workspace URL against this table. Change a role's rights here and
nowhere else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gza.core.enums import Role


class Right(models.TextChoices):
    WORKSPACE = "workspace", _("use the staff workspace")
    REFERENCE_VIEW = "reference_view", _("browse reference data")
    ORGANISATIONS_VIEW = "organisations_view", _("see organisations")
    ORGANISATIONS_MANAGE = "organisations_manage", _("manage organisations")
    USERS_MANAGE = "users_manage", _("manage user accounts")
    AUDIT_VIEW = "audit_view", _("read the audit trail and access log")
    JOB_SEEKERS_VIEW = "job_seekers_view", _("see job seekers' records")
    STATISTICS_VIEW = "statistics_view", _("see aggregate statistics")
    CONTENT_MANAGE = "content_manage", _("edit the portal's content")
    API_TOKENS = "api_tokens", _("issue API tokens for systems")
    PARTNERS_VIEW = "partners_view", _("follow partner countries")
    DEMAND_VIEW = "demand_view", _("see demand abroad: employers, agencies, vacancies")
    DEMAND_MANAGE = "demand_manage", _("manage demand abroad")
    # Studies and their supply-gap table are aggregates with no contact people, so analysts
    # read them too (docs/decisions/0012).
    STUDIES_VIEW = "studies_view", _("read labour-market studies and the Georgian supply gap")
    JOB_SEEKERS_MANAGE = "job_seekers_manage", _("register job seekers and edit their profiles")
    DUPLICATES_REVIEW = "duplicates_review", _("review likely duplicate records and merge them")
    DELETION_DECIDE = "deletion_decide", _("decide on requests to delete a person's record")
    MATCHING_RUN = "matching_run", _("run matching and review shortlists")
    MATCHING_WEIGHTS = "matching_weights", _("set the matching weights of schemes")
    APPLICATIONS_MANAGE = "applications_manage", _("manage applications and their stages")
    SELECTION_RUN = "selection_run", _("draw lotteries and publish selection rounds")
    MOBILITY_MANAGE = "mobility_manage", _("manage pre-departure, placements and returns")
    GRIEVANCES_HANDLE = "grievances_handle", _("handle grievances of workers abroad")
    REINTEGRATION_MANAGE = "reintegration_manage", _("manage reintegration cases")


STAFF_ROLES = frozenset(
    {
        Role.MINISTRY_OFFICER,
        Role.EMBASSY_OFFICER,
        Role.CASEWORKER,
        Role.ANALYST,
        Role.CONTENT_EDITOR,
        Role.ADMINISTRATOR,
    }
)

ROLE_RIGHTS: dict[str, frozenset[Right]] = {
    Role.MINISTRY_OFFICER: frozenset(
        {
            Right.WORKSPACE,
            Right.REFERENCE_VIEW,
            Right.ORGANISATIONS_VIEW,
            Right.ORGANISATIONS_MANAGE,
            Right.JOB_SEEKERS_VIEW,
            Right.JOB_SEEKERS_MANAGE,
            Right.DUPLICATES_REVIEW,
            Right.DELETION_DECIDE,
            Right.MATCHING_RUN,
            Right.MATCHING_WEIGHTS,
            Right.APPLICATIONS_MANAGE,
            Right.SELECTION_RUN,
            Right.MOBILITY_MANAGE,
            Right.GRIEVANCES_HANDLE,
            Right.REINTEGRATION_MANAGE,
            Right.STATISTICS_VIEW,
            Right.PARTNERS_VIEW,
            Right.DEMAND_VIEW,
            Right.DEMAND_MANAGE,
            Right.STUDIES_VIEW,
        }
    ),
    # Embassy officers see the nationals placed in their country, their placements and
    # grievances (JobSeekerQuerySet.placed_in).
    Role.EMBASSY_OFFICER: frozenset(
        {
            Right.WORKSPACE,
            Right.REFERENCE_VIEW,
            Right.ORGANISATIONS_VIEW,
            Right.MOBILITY_MANAGE,
            Right.GRIEVANCES_HANDLE,
            Right.PARTNERS_VIEW,
            Right.DEMAND_VIEW,
            Right.STUDIES_VIEW,
        }
    ),
    Role.CASEWORKER: frozenset(
        {
            Right.WORKSPACE,
            Right.REFERENCE_VIEW,
            Right.ORGANISATIONS_VIEW,
            Right.JOB_SEEKERS_VIEW,
            # Service-centre staff register people and keep their profiles (issue 7).
            Right.JOB_SEEKERS_MANAGE,
            Right.MATCHING_RUN,
            Right.APPLICATIONS_MANAGE,
            Right.MOBILITY_MANAGE,
            Right.GRIEVANCES_HANDLE,
            Right.REINTEGRATION_MANAGE,
            Right.PARTNERS_VIEW,
            Right.DEMAND_VIEW,
            Right.STUDIES_VIEW,
        }
    ),
    # Employers and agencies see only their own records (ForeignEmployer/Agency.visible_to).
    Role.EMPLOYER: frozenset({Right.WORKSPACE, Right.REFERENCE_VIEW, Right.DEMAND_VIEW}),
    Role.AGENCY: frozenset({Right.WORKSPACE, Right.REFERENCE_VIEW, Right.DEMAND_VIEW}),
    Role.JOB_SEEKER: frozenset(),
    # No DEMAND_VIEW: demand screens carry employers' and agencies' contact people; analysts
    # get demand as aggregates from the analytics domain (docs/decisions/0009).
    Role.ANALYST: frozenset(
        {
            Right.WORKSPACE,
            Right.REFERENCE_VIEW,
            Right.STATISTICS_VIEW,
            Right.PARTNERS_VIEW,
            Right.STUDIES_VIEW,
        }
    ),
    Role.CONTENT_EDITOR: frozenset({Right.WORKSPACE, Right.REFERENCE_VIEW, Right.CONTENT_MANAGE}),
    Role.ADMINISTRATOR: frozenset(
        {
            Right.WORKSPACE,
            Right.REFERENCE_VIEW,
            Right.ORGANISATIONS_VIEW,
            Right.ORGANISATIONS_MANAGE,
            Right.USERS_MANAGE,
            Right.AUDIT_VIEW,
            Right.API_TOKENS,
        }
    ),
    Role.NONE: frozenset(),
}

# What each role's work is, shown on its home page.
ROLE_DUTIES: dict[str, list] = {
    Role.MINISTRY_OFFICER: [
        _("Follow partner countries, agreements and pilot schemes"),
        _("Register demand abroad: employers, studies and vacancies"),
        _("Keep the registry of job seekers and run fair selection"),
        _("Follow placements abroad and report to policy makers"),
    ],
    Role.EMBASSY_OFFICER: [
        _("Keep your country's cooperation record up to date"),
        _("Vet employers in your country"),
        _("Follow Georgians working there and answer their grievances"),
    ],
    Role.CASEWORKER: [
        _("Run pilot schemes and pre-departure orientation"),
        _("Manage return and reintegration cases"),
    ],
    Role.EMPLOYER: [
        _("Publish your vacancies for Georgian workers"),
        _("Review the shortlists you are shown and record your selection"),
    ],
    Role.AGENCY: [
        _("Manage your job orders"),
        _("File your annual activity report on time"),
    ],
    Role.JOB_SEEKER: [
        _("Keep your profile up to date"),
        _("Apply for vacancies abroad and follow your applications"),
        _("Report a problem from abroad or ask for help on return"),
    ],
    Role.ANALYST: [
        _("Study aggregate statistics on migration flows and outcomes"),
        _("You never see a person's record"),
    ],
    Role.CONTENT_EDITOR: [
        _("Publish news, events and country guides on the portal"),
    ],
    Role.ADMINISTRATOR: [
        _("Manage organisations and user accounts"),
        _("Read the audit trail and the personal-data access log"),
        _("Issue API tokens for partner systems"),
    ],
    Role.NONE: [],
}


def rights_of(role: str) -> frozenset[Right]:
    return ROLE_RIGHTS.get(role, frozenset())


def has_right(user, right: Right) -> bool:
    """True if the user is signed in, active and their role carries the right."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return right in rights_of(user.role)


def is_staff_role(role: str) -> bool:
    return role in STAFF_ROLES
