"""The workspace navigation: each entry shows only to roles whose rights include it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gza.core.roles import Right, has_right

NAVIGATION = [
    ("workspace:home", _("Overview"), Right.WORKSPACE),
    ("workspace:partner_list", _("Partner countries"), Right.PARTNERS_VIEW),
    ("workspace:action_plan_list", _("Action plans"), Right.PARTNERS_VIEW),
    ("workspace:employer_list", _("Employers abroad"), Right.DEMAND_VIEW),
    ("workspace:agency_list", _("Agencies"), Right.DEMAND_VIEW),
    ("workspace:job_seeker_list", _("Job seekers"), Right.JOB_SEEKERS_VIEW),
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
        if has_right(user, right)
    ]
