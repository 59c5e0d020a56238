"""The workspace navigation: each entry shows only to roles whose rights include it (or, for an
entry with a test instead of a right, to users who pass it)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gza.core.roles import Right, has_right


def may_import(user) -> bool:
    """Imports show to those who may run at least one kind (each kind names its right)."""
    from gza.core.imports import imports_for

    return bool(imports_for(user))


NAVIGATION = [
    ("workspace:home", _("Overview"), Right.WORKSPACE),
    ("workspace:partner_list", _("Partner countries"), Right.PARTNERS_VIEW),
    ("workspace:action_plan_list", _("Action plans"), Right.PARTNERS_VIEW),
    ("workspace:employer_list", _("Employers abroad"), Right.DEMAND_VIEW),
    ("workspace:agency_list", _("Agencies"), Right.DEMAND_VIEW),
    ("workspace:vacancy_list", _("Vacancies"), Right.DEMAND_VIEW),
    ("workspace:study_list", _("Labour-market studies"), Right.STUDIES_VIEW),
    ("workspace:job_seeker_list", _("Job seekers"), Right.JOB_SEEKERS_VIEW),
    ("workspace:duplicate_list", _("Likely duplicates"), Right.DUPLICATES_REVIEW),
    ("workspace:match_run_list", _("Shortlists"), Right.MATCHING_RUN),
    ("workspace:matching_weights", _("Matching weights"), Right.MATCHING_WEIGHTS),
    ("workspace:job_seeker_register", _("Register a person"), Right.JOB_SEEKERS_MANAGE),
    ("workspace:deletion_request_list", _("Deletion requests"), Right.DELETION_DECIDE),
    ("workspace:placement_list", _("Placements abroad"), Right.MOBILITY_MANAGE),
    ("workspace:session_list", _("Orientation sessions"), Right.MOBILITY_MANAGE),
    ("workspace:grievance_board", _("Grievances"), Right.GRIEVANCES_HANDLE),
    ("workspace:reintegration_case_list", _("Reintegration"), Right.REINTEGRATION_MANAGE),
    ("workspace:import_list", _("Imports"), may_import),
    ("workspace:organisation_list", _("Organisations"), Right.ORGANISATIONS_VIEW),
    ("workspace:reference", _("Reference data"), Right.REFERENCE_VIEW),
    ("workspace:user_list", _("Users"), Right.USERS_MANAGE),
    ("workspace:audit_list", _("Audit trail"), Right.AUDIT_VIEW),
    ("workspace:access_log", _("Personal-data access log"), Right.AUDIT_VIEW),
]


def navigation_for(user) -> list[dict]:
    return [
        {"url": reverse(name), "label": label, "name": name}
        for name, label, right in NAVIGATION
        if (right(user) if callable(right) else has_right(user, right))
    ]
