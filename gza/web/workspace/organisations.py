from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gza.core.audit import history_of
from gza.core.enums import OrganisationKind
from gza.core.models import Organisation
from gza.core.roles import Right, has_right
from gza.core.services import ORGANISATION_FIELDS, organisation_save
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
        {
            "page": paginate(request, organisations),
            "kind": kind,
            "kinds": OrganisationKind.choices,
            "can_manage": has_right(request.user, Right.ORGANISATIONS_MANAGE),
        },
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
            "can_manage": has_right(request.user, Right.ORGANISATIONS_MANAGE),
        },
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS


def _edit(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        saved = organisation_save(actor=request.user, organisation=form.instance)
        messages.success(request, _("The organisation is saved."))
        return redirect(saved)
    return render(
        request, "workspace/organisations/form.html", {"form": form, "organisation": organisation}
    )


@workspace_view(Right.ORGANISATIONS_MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _edit(request, Organisation())


@workspace_view(Right.ORGANISATIONS_MANAGE)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Organisation, pk=pk))
