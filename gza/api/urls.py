from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gza.api import partners, views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "v1/taxonomy/occupations/",
        views.OccupationSearchApi.as_view(),
        name="occupation_search",
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
]
