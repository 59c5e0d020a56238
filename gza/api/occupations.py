"""Occupation codes suggested from free text (the autocoder, gza/matching/autocoder.py).

Public like the rest of the ISCO-08 reference data: the text is a job title, not a person's
data, and registration forms use it before anyone has an account. The API's general throttle
applies."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gza.matching.autocoder import suggest
from gza.matching.coding import auto_accepted
from gza.taxonomy.models import Occupation


class SuggestionInput(serializers.Serializer):
    # No maximum: a very long text is cut by the autocoder and answered, never refused.
    title = serializers.CharField(allow_blank=True, trim_whitespace=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    industry = serializers.CharField(required=False, allow_blank=True, default="")
    top = serializers.IntegerField(required=False, min_value=1, max_value=20, default=3)


class SuggestionOutput(serializers.Serializer):
    code = serializers.CharField(help_text="ISCO-08 code: a unit group, or a broader group.")
    title = serializers.CharField(help_text="The group's title in the request's language.")
    confidence = serializers.FloatField(help_text="0 to 1.")
    broader = serializers.BooleanField(help_text="A broader group, for a title too vague.")
    matched = serializers.CharField(help_text="The title in Gza's lexicon that matched best.")
    matched_language = serializers.CharField()
    source = serializers.CharField(help_text="Where that title comes from (isco, ilo, esco…).")


class SuggestionsOutput(serializers.Serializer):
    suggestions = SuggestionOutput(many=True)
    auto_accept = serializers.BooleanField(
        help_text="Whether the first code is confident enough to take without a person."
    )


class OccupationSuggestionsApi(APIView):
    """ISCO-08 codes for a job title typed in Georgian, English or Russian, Georgian in Latin
    letters, with typos or inflected, best first, each with a confidence and the title that
    matched. Empty or meaningless text gives an empty list, never an error."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=SuggestionInput,
        responses=SuggestionsOutput,
        operation_id="occupation_suggestions",
    )
    def post(self, request: Request) -> Response:
        params = SuggestionInput(data=request.data)
        params.is_valid(raise_exception=True)
        data: dict[str, Any] = params.validated_data
        suggestions = suggest(data["title"], data["description"], data["industry"], top=data["top"])
        titles = Occupation.objects.in_bulk([s.code for s in suggestions])
        return Response(
            {
                "suggestions": [
                    {
                        "code": s.code,
                        "title": titles[s.code].title if s.code in titles else "",
                        "confidence": s.confidence,
                        "broader": s.broader,
                        "matched": s.matched,
                        "matched_language": s.language,
                        "source": s.source,
                    }
                    for s in suggestions
                ],
                "auto_accept": auto_accepted(suggestions) is not None,
            }
        )
