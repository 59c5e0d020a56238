from django.urls import path

from gza.web.workspace import audit, home, job_seekers, organisations, partners, reference

app_name = "workspace"
urlpatterns = [
    path("", home.home, name="home"),
    path("reference/", reference.index, name="reference"),
    path("reference/occupations/", reference.occupation_list, name="occupation_list"),
    path(
        "reference/occupations/<str:code>/", reference.occupation_detail, name="occupation_detail"
    ),
    path("reference/countries/", reference.country_list, name="country_list"),
    path("reference/regions/", reference.region_list, name="region_list"),
    path("reference/languages/", reference.language_list, name="language_list"),
    path("organisations/", organisations.organisation_list, name="organisation_list"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path(
        "organisations/<int:pk>/edit/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<int:pk>/",
        organisations.organisation_detail,
        name="organisation_detail",
    ),
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_add, name="partner_add"),
    path("partners/briefing/", partners.briefing, name="briefing_all"),
    path("partners/<str:code>/briefing/", partners.briefing, name="briefing"),
    path("partners/assessment/", partners.assessment_weights, name="assessment_weights"),
    path("partners/<str:code>/decisions/new/", partners.decision_create, name="decision_create"),
    path("partners/<str:code>/", partners.partner_detail, name="partner_detail"),
    path("partners/<str:code>/indicators/new/", partners.indicator_add, name="indicator_add"),
    path("partners/<str:code>/stage/", partners.partner_move, name="partner_move"),
    path(
        "partners/<str:code>/engagements/new/",
        partners.engagement_create,
        name="engagement_create",
    ),
    path(
        "partners/<str:code>/agreements/new/",
        partners.agreement_create,
        name="agreement_create",
    ),
    path("action-plans/", partners.action_plan_list, name="action_plan_list"),
    path("action-plans/<int:pk>/", partners.action_plan_detail, name="action_plan_detail"),
    path("actions/<int:pk>/", partners.action_update_view, name="action_update"),
    path("agreements/<int:pk>/", partners.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", partners.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/status/", partners.agreement_move_view, name="agreement_move"),
    path("agreements/<int:pk>/quotas/", partners.agreement_quota_add, name="agreement_quota_add"),
    path("job-seekers/", job_seekers.job_seeker_list, name="job_seeker_list"),
    path(
        "job-seekers/<uuid:public_id>/",
        job_seekers.job_seeker_detail,
        name="job_seeker_detail",
    ),
    path("administration/users/", audit.user_list, name="user_list"),
    path("administration/users/<int:pk>/role/", audit.user_role, name="user_role"),
    path("administration/audit/", audit.audit_list, name="audit_list"),
    path("administration/access-log/", audit.access_log, name="access_log"),
]
