from rest_framework import serializers


class OccupationSearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, help_text="A code prefix or words in ka, en or ru.")


class OccupationOutput(serializers.Serializer):
    code = serializers.CharField()
    level = serializers.IntegerField()
    title_ka = serializers.CharField()
    title_en = serializers.CharField()
    parent = serializers.CharField(source="parent_id", allow_null=True)
