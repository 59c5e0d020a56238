from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gza.api import (
    consent,
    demand,
    matching,
    occupations,
    partner_records,
    partners,
    registration,
    registry,
    registry_search,
    studies,
    vacancies,
    views,
)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "v1/taxonomy/occupations/",
        views.OccupationSearchApi.as_view(),
        name="occupation_search",
    ),
    path(
        "v1/occupations/suggestions/",
        occupations.OccupationSuggestionsApi.as_view(),
        name="occupation_suggestions",
    ),
    path("v1/partners/", partners.PartnerListApi.as_view(), name="partner_list"),
    path("v1/partners/<str:code>/", partners.PartnerDetailApi.as_view(), name="partner_detail"),
    path(
        "v1/partners/<str:code>/stage/",
        partners.PartnerStageMoveApi.as_view(),
        name="partner_stage_move",
    ),
    path(
        "v1/partners/<str:code>/engagements/",
        partners.EngagementCreateApi.as_view(),
        name="engagement_create",
    ),
    path(
        "v1/partners/<str:code>/agreements/",
        partner_records.AgreementCreateApi.as_view(),
        name="agreement_create",
    ),
    path(
        "v1/partners/<str:code>/indicators/",
        partner_records.IndicatorListApi.as_view(),
        name="indicator_list",
    ),
    path(
        "v1/partners/<str:code>/decisions/",
        partner_records.DecisionListApi.as_view(),
        name="decision_list",
    ),
    path("v1/agreements/", partner_records.AgreementListApi.as_view(), name="agreement_list"),
    path(
        "v1/agreements/<int:pk>/",
        partner_records.AgreementDetailApi.as_view(),
        name="agreement_detail",
    ),
    path(
        "v1/agreements/<int:pk>/status/",
        partner_records.AgreementMoveApi.as_view(),
        name="agreement_move",
    ),
    path(
        "v1/agreements/<int:pk>/quotas/",
        partner_records.QuotaCreateApi.as_view(),
        name="quota_create",
    ),
    path("v1/action-plans/", partner_records.ActionPlanListApi.as_view(), name="action_plan_list"),
    path(
        "v1/action-plans/<int:pk>/",
        partner_records.ActionPlanDetailApi.as_view(),
        name="action_plan_detail",
    ),
    path(
        "v1/action-plans/<int:pk>/actions/",
        partner_records.ActionCreateApi.as_view(),
        name="action_create",
    ),
    path(
        "v1/actions/<int:pk>/progress/",
        partner_records.ActionUpdateApi.as_view(),
        name="action_update",
    ),
    path("v1/employers/", demand.EmployerListApi.as_view(), name="employer_list"),
    path("v1/employers/<int:pk>/", demand.EmployerDetailApi.as_view(), name="employer_detail"),
    path("v1/employers/<int:pk>/vetting/", demand.EmployerVetApi.as_view(), name="employer_vet"),
    path("v1/agencies/", demand.AgencyListApi.as_view(), name="agency_list"),
    path(
        "v1/agencies/status/",
        demand.AgencyStatusLookupApi.as_view(),
        name="agency_status_lookup",
    ),
    path("v1/agencies/<int:pk>/", demand.AgencyDetailApi.as_view(), name="agency_detail"),
    path("v1/agencies/<int:pk>/status/", demand.AgencyMoveApi.as_view(), name="agency_move"),
    path("v1/agencies/<int:pk>/reports/", demand.AgencyReportApi.as_view(), name="agency_reports"),
    path(
        "v1/vacancies/published/",
        vacancies.PublishedVacancyListApi.as_view(),
        name="vacancy_published_list",
    ),
    path(
        "v1/vacancies/published/<int:pk>/",
        vacancies.PublishedVacancyDetailApi.as_view(),
        name="vacancy_published_detail",
    ),
    path("v1/vacancies/", vacancies.VacancyListApi.as_view(), name="vacancy_list"),
    path("v1/vacancies/<int:pk>/", vacancies.VacancyDetailApi.as_view(), name="vacancy_detail"),
    path("v1/vacancies/<int:pk>/status/", vacancies.VacancyMoveApi.as_view(), name="vacancy_move"),
    path("v1/studies/", studies.StudyListApi.as_view(), name="study_list"),
    path("v1/studies/<int:pk>/", studies.StudyDetailApi.as_view(), name="study_detail"),
    path(
        "v1/studies/<int:pk>/occupations/",
        studies.InDemandCreateApi.as_view(),
        name="study_occupation_add",
    ),
    path(
        "v1/studies/<int:pk>/supply-gap/",
        studies.SupplyGapApi.as_view(),
        name="study_supply_gap",
    ),
    path(
        "v1/study-occupations/<int:pk>/",
        studies.InDemandDetailApi.as_view(),
        name="study_occupation_detail",
    ),
    path(
        "v1/registration/codes/",
        registration.CodeRequestApi.as_view(),
        name="registration_code_request",
    ),
    path(
        "v1/registration/confirmations/",
        registration.ConfirmationApi.as_view(),
        name="registration_code_confirm",
    ),
    path("v1/registrations/", registration.RegistrationApi.as_view(), name="registration_create"),
    path("v1/me/consents/", consent.MyConsentsApi.as_view(), name="my_consents"),
    path(
        "v1/job-seekers/<uuid:public_id>/consents/",
        consent.JobSeekerConsentsApi.as_view(),
        name="job_seeker_consents",
    ),
    path(
        "v1/eligibility/check/",
        consent.EligibilityCheckApi.as_view(),
        name="eligibility_check",
    ),
    path(
        "v1/job-seekers/search/",
        registry_search.JobSeekerSearchApi.as_view(),
        name="job_seeker_search",
    ),
    path("v1/job-seekers/", registry.JobSeekerCreateApi.as_view(), name="job_seeker_create"),
    path(
        "v1/job-seekers/<uuid:public_id>/",
        registry.JobSeekerDetailApi.as_view(),
        name="job_seeker_detail",
    ),
    path(
        "v1/job-seekers/<uuid:public_id>/documents/",
        registry.JobSeekerDocumentsApi.as_view(),
        name="job_seeker_documents",
    ),
    path(
        "v1/job-seekers/<uuid:public_id>/documents/<int:pk>/file",
        registry.JobSeekerDocumentFileApi.as_view(),
        name="job_seeker_document_file",
    ),
    path(
        "v1/vacancies/<int:pk>/shortlists/",
        matching.VacancyShortlistsApi.as_view(),
        name="vacancy_shortlists",
    ),
    path("v1/match-runs/<uuid:public_id>/", matching.MatchRunApi.as_view(), name="match_run"),
    path(
        "v1/match-runs/<uuid:public_id>/review/",
        matching.MatchRunReviewApi.as_view(),
        name="match_run_review",
    ),
    path("v1/match-score/", matching.MatchScoreApi.as_view(), name="match_score"),
    path(
        "v1/me/recommendations/",
        matching.MyRecommendationsApi.as_view(),
        name="my_recommendations",
    ),
    path(
        "v1/matching/weights/",
        matching.NationalWeightsApi.as_view(),
        name="matching_weights",
    ),
    path(
        "v1/matching/weights/<int:agreement_pk>/",
        matching.SchemeWeightsApi.as_view(),
        name="matching_weights_scheme",
    ),
]
