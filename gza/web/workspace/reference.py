from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gza.core.roles import Right
from gza.taxonomy.enums import IscoLevel
from gza.taxonomy.models import (
    CefrLevel,
    Country,
    EscoOccupation,
    GeorgianRegion,
    IscedLevel,
    Language,
    Municipality,
    Occupation,
    ReferenceDataset,
)
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate


@workspace_view(Right.REFERENCE_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workspace/reference/index.html", {"datasets": ReferenceDataset.objects.all()}
    )


@workspace_view(Right.REFERENCE_VIEW)
def occupation_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    if query:
        occupations = Occupation.objects.search(query)
    else:
        occupations = Occupation.objects.filter(level=IscoLevel.MAJOR)
    return render(
        request,
        "workspace/reference/occupation_list.html",
        {"page": paginate(request, occupations), "query": query},
    )


@workspace_view(Right.REFERENCE_VIEW)
def occupation_detail(request: HttpRequest, code: str) -> HttpResponse:
    occupation = get_object_or_404(Occupation, code=code)
    esco = (
        EscoOccupation.objects.filter(isco=occupation)
        .annotate(skill_count=Count("skill_links"))
        .order_by("label_en")
    )
    return render(
        request,
        "workspace/reference/occupation_detail.html",
        {
            "occupation": occupation,
            "ancestors": occupation.ancestors(),
            "children": occupation.children.order_by("code"),
            "titles": occupation.titles.order_by("language", "title"),
            "esco_occupations": esco,
        },
    )


@workspace_view(Right.REFERENCE_VIEW)
def country_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workspace/reference/country_list.html", {"countries": Country.objects.all()}
    )


@workspace_view(Right.REFERENCE_VIEW)
def region_list(request: HttpRequest) -> HttpResponse:
    regions = GeorgianRegion.objects.prefetch_related(
        Prefetch("municipalities", queryset=Municipality.objects.order_by("name_en"))
    )
    return render(request, "workspace/reference/region_list.html", {"regions": regions})


@workspace_view(Right.REFERENCE_VIEW)
def language_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workspace/reference/language_list.html",
        {
            "languages": Language.objects.all(),
            "cefr_levels": CefrLevel.objects.all(),
            "isced_levels": IscedLevel.objects.all(),
        },
    )
