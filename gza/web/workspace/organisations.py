from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gza.core.audit import history_of
from gza.core.enums import OrganisationKind
from gza.core.models import Organisation
from gza.core.roles import Right
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate


@workspace_view(Right.ORGANISATIONS_VIEW)
def organisation_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    organisations = Organisation.objects.select_related("country", "parent")
    if kind in OrganisationKind.values:
        organisations = organisations.of_kind(kind)
    return render(
        request,
        "workspace/organisations/list.html",
        {"page": paginate(request, organisations), "kind": kind, "kinds": OrganisationKind.choices},
    )


@workspace_view(Right.ORGANISATIONS_VIEW)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("country", "parent"), pk=pk
    )
    return render(
        request,
        "workspace/organisations/detail.html",
        {
            "organisation": organisation,
            "units": organisation.units.select_related("country"),
            "history": history_of(organisation)[:20],
        },
    )
