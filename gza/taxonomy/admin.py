from django.contrib import admin

from gza.taxonomy.models import (
    CefrLevel,
    Country,
    EscoOccupation,
    EscoSkill,
    GeorgianRegion,
    IscedLevel,
    Language,
    Municipality,
    Occupation,
    OccupationTitle,
)


class OccupationTitleInline(admin.TabularInline):
    model = OccupationTitle
    extra = 0


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "title_ka", "title_en", "level"]
    list_filter = ["level"]
    search_fields = ["code", "title_ka", "title_en"]
    inlines = [OccupationTitleInline]
    readonly_fields = ["code", "level", "parent"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ka", "name_en"]
    search_fields = ["code", "name_ka", "name_en"]


@admin.register(GeorgianRegion)
class GeorgianRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ka", "name_en", "kind"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ka", "name_en", "region", "kind"]
    list_filter = ["region"]
    search_fields = ["name_ka", "name_en"]


@admin.register(EscoOccupation)
class EscoOccupationAdmin(admin.ModelAdmin):
    list_display = ["label_en", "code", "isco"]
    search_fields = ["label_en", "code"]
    raw_id_fields = ["isco"]


@admin.register(EscoSkill)
class EscoSkillAdmin(admin.ModelAdmin):
    list_display = ["label_en", "skill_type", "reuse_level"]
    search_fields = ["label_en"]


admin.site.register(Language)
admin.site.register(CefrLevel)
admin.site.register(IscedLevel)
