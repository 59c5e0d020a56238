from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.generics import ListAPIView
from rest_framework.request import Request

from gza.api.serializers import OccupationOutput, OccupationSearchInput
from gza.taxonomy.models import Occupation


class OccupationSearchApi(ListAPIView):
    """Search ISCO-08 groups by code prefix or by words in Georgian, English or Russian.

    Reference data is public (ISCO-08 © ILO), so this endpoint needs no token."""

    permission_classes = [permissions.AllowAny]
    serializer_class = OccupationOutput

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="code or words")],
        operation_id="taxonomy_occupations_search",
    )
    def get(self, request: Request, *args: object, **kwargs: object):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = OccupationSearchInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return Occupation.objects.search(params.validated_data["q"]).only(
            "code", "level", "title_ka", "title_en", "parent_id"
        )
