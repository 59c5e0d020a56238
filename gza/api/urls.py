from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gza.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path(
        "v1/taxonomy/occupations/",
        views.OccupationSearchApi.as_view(),
        name="occupation_search",
    ),
]
