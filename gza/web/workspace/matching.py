"""Matching in the workspace: a vacancy's shortlists and the "Run matching" button, a run's
page with every score explained and the review form, and the ministry's weights per scheme with
a preview of how a vacancy's top 20 would move.

Vacancies are fetched through `Vacancy.objects.visible_to(user)` and people through
`JobSeeker.objects.visible_to(user)`: outside scope is a 404, and a shortlist shows only the
people the user may see. Opening a run or a preview writes the access log for every person
shown (one insert). The rules live in gza/matching/runs.py."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gza.core.audit import access_record_many
from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.core.roles import Right
from gza.demand.enums import VacancyStatus
from gza.demand.models import Vacancy
from gza.matching import engine
from gza.matching.enums import Component, Direction, EntryDecision, RunStatus, RunTrigger
from gza.matching.models import DEFAULT_WEIGHTS, MAX_WEIGHT, MatchRun, MatchRunEntry, MatchWeights
from gza.matching.runs import (
    MAX_LIMIT,
    REASON_MAX,
    SHORTLIST_LIMIT,
    decision_field,
    entry_components,
    entry_flags,
    reason_field,
    review_run,
    run_shortlist,
    run_visible_to,
    set_weights,
)
from gza.partners.models import Agreement
from gza.registry.models import JobSeeker
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate

NATIONAL = "national"
PREVIEW_LIMIT = 20


def _refusal(error: DomainError) -> str:
    return str(error)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _vacancy(request: HttpRequest, pk: int) -> Vacancy:
    return get_object_or_404(
        Vacancy.objects.visible_to(request.user).select_related("country", "occupation"), pk=pk
    )


# Shortlists of a vacancy -----------------------------------------------------------------------


class RunForm(forms.Form):
    limit = forms.IntegerField(
        label=gettext_lazy("How many people at most"),
        min_value=1,
        max_value=MAX_LIMIT,
        initial=SHORTLIST_LIMIT,
    )


@workspace_view(Right.MATCHING_RUN)
def vacancy_shortlists(request: HttpRequest, pk: int) -> HttpResponse:
    """The vacancy's match runs, newest first, and the button that runs matching again."""
    vacancy = _vacancy(request, pk)
    form = RunForm(
        request.POST if request.method == "POST" else None, initial={"limit": SHORTLIST_LIMIT}
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = run_shortlist(
                vacancy,
                actor=request.user,
                trigger=RunTrigger.MANUAL,
                limit=form.cleaned_data["limit"],
            )
        except DomainError as error:
            form.add_error(None, _refusal(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Matching has run. Review the shortlist below."))
            return redirect("workspace:match_run", public_id=run.public_id)
    runs = (
        MatchRun.objects.filter(direction=Direction.SHORTLIST, vacancy=vacancy)
        .select_related("requested_by", "reviewed_by")
        .annotate(entry_count=Count("entries"))
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "workspace/matching/vacancy_runs.html",
        {"vacancy": vacancy, "page": paginate(request, runs), "form": form},
    )


@workspace_view(Right.MATCHING_RUN)
def run_list(request: HttpRequest) -> HttpResponse:
    """Shortlists of the vacancies the user sees: those waiting for review by default."""
    status = request.GET.get("status", RunStatus.TO_REVIEW)
    runs = (
        MatchRun.objects.filter(
            direction=Direction.SHORTLIST, vacancy__in=Vacancy.objects.visible_to(request.user)
        )
        .select_related("vacancy__country", "requested_by", "reviewed_by")
        .annotate(entry_count=Count("entries"))
        .order_by("-created_at", "-id")
    )
    if status in RunStatus.values:
        runs = runs.filter(status=status)
    else:
        status = ""
    return render(
        request,
        "workspace/matching/runs.html",
        {"page": paginate(request, runs), "statuses": RunStatus.choices, "status": status},
    )


# One run ---------------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    """One keep/exclude choice and one reason per entry, and a note on the whole review."""

    note = forms.CharField(
        label=gettext_lazy("Note on the review"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args: Any, entries: list[MatchRunEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        choices = [
            (EntryDecision.KEPT, gettext_lazy("Keep")),
            (EntryDecision.EXCLUDED, gettext_lazy("Exclude")),
        ]
        for entry in entries:
            self.fields[decision_field(entry.pk)] = forms.ChoiceField(
                label=gettext_lazy("Decision"),
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[reason_field(entry.pk)] = forms.CharField(
                label=gettext_lazy("Reason for excluding"),
                required=False,
                max_length=REASON_MAX,
            )

    def decisions(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            entry.pk: (data.get(decision_field(entry.pk)) or "", data.get(reason_field(entry.pk)))
            for entry in self.entries
        }


def _run(request: HttpRequest, public_id: str) -> MatchRun:
    """A run in the user's scope: a shortlist of a vacancy they see, or recommendations for a
    person they see."""
    return run_visible_to(
        request.user,
        public_id,
        MatchRun.objects.select_related(
            "vacancy__country",
            "vacancy__occupation",
            "vacancy__agreement",
            "job_seeker",
            "requested_by",
            "reviewed_by",
        ),
    )


def visible_entries(run: MatchRun, user) -> QuerySet[MatchRunEntry]:
    return (
        run.entries.filter(job_seeker__in=JobSeeker.objects.visible_to(user))
        .select_related("job_seeker", "vacancy__country")
        .order_by("rank")
    )


def _render_run(
    request: HttpRequest, run: MatchRun, form: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    entries = list(visible_entries(run, request.user))
    total = run.entries.count()
    hidden = total - len(entries)
    if run.direction == Direction.SHORTLIST:
        access_record_many(
            actor=request.user,
            subjects=[entry.job_seeker for entry in entries],
            action=AccessAction.VIEW,
            purpose="shortlist",
        )
    else:
        access_record_many(
            actor=request.user,
            subjects=[run.job_seeker],
            action=AccessAction.VIEW,
            purpose="recommendations",
        )
    can_review = (
        run.direction == Direction.SHORTLIST and run.status == RunStatus.TO_REVIEW and not hidden
    )
    if can_review and form is None:
        form = ReviewForm(entries=entries)
    rows = [
        {
            "entry": entry,
            "components": entry_components(entry),
            "flags": entry_flags(entry),
            "decision": form[decision_field(entry.pk)] if can_review else None,
            "reason": form[reason_field(entry.pk)] if can_review else None,
        }
        for entry in entries
    ]
    parameters = run.parameters or {}
    weights = parameters.get("weights") or {}
    return render(
        request,
        "workspace/matching/run.html",
        {
            "run": run,
            "rows": rows,
            "hidden": hidden,
            "form": form if can_review else None,
            "parameters": {
                "computed_for": parameters.get("computed_for") or "—",
                "limit": parameters.get("limit") or "—",
                "engine_version": parameters.get("engine_version") or "",
            },
            "weights": [(label, weights.get(name, "—")) for name, label in Component.choices],
        },
        status=status,
    )


@workspace_view(Right.MATCHING_RUN)
def match_run(request: HttpRequest, public_id: str) -> HttpResponse:
    """A run's ranked result explained; for a shortlist waiting for review, the review form
    (POST here)."""
    run = _run(request, public_id)
    if request.method != "POST":
        return _render_run(request, run)
    entries = list(visible_entries(run, request.user))
    form = ReviewForm(request.POST, entries=entries)
    if form.is_valid():
        try:
            review_run(
                run,
                actor=request.user,
                decisions=form.decisions(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, _refusal(error))
            return redirect("workspace:match_run", public_id=run.public_id)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The shortlist is reviewed."))
            return redirect("workspace:match_run", public_id=run.public_id)
    form.add_error(None, _("The review is not saved: see the lines marked below."))
    return _render_run(request, run, form=form, status=400)


# Weights ---------------------------------------------------------------------------------------


def _scheme(scheme: str) -> Agreement | None:
    if scheme == NATIONAL:
        return None
    if not scheme.isdigit():
        raise Http404
    return get_object_or_404(Agreement.objects.select_related("partner__country"), pk=scheme)


def _ordered(values: dict[str, int]) -> list[int]:
    return [values.get(name, 0) for name in Component.values]


@workspace_view(Right.MATCHING_WEIGHTS)
def weights_list(request: HttpRequest) -> HttpResponse:
    """The national default and every agreement or scheme, with the weights each uses."""
    national = MatchWeights.objects.filter(agreement__isnull=True).first()
    national_values = national.as_dict() if national else dict(DEFAULT_WEIGHTS)
    own = {row.agreement_id: row for row in MatchWeights.objects.filter(agreement__isnull=False)}
    agreements = Agreement.objects.select_related("partner__country").annotate(
        published=Count("vacancies", filter=Q(vacancies__status=VacancyStatus.PUBLISHED))
    )
    schemes = [
        {
            "agreement": agreement,
            "own": agreement.pk in own,
            "values": _ordered(
                own[agreement.pk].as_dict() if agreement.pk in own else national_values
            ),
            "published": agreement.published,
        }
        for agreement in agreements
    ]
    return render(
        request,
        "workspace/matching/weights.html",
        {
            "components": Component.choices,
            "national": national,
            "national_values": _ordered(national_values),
            "schemes": schemes,
        },
    )


class WeightsForm(forms.Form):
    vacancy = forms.ModelChoiceField(
        label=gettext_lazy("Vacancy to preview"),
        queryset=Vacancy.objects.none(),
        required=False,
        help_text=gettext_lazy("See how its top 20 would change with these weights."),
    )

    def __init__(self, *args: Any, vacancies: QuerySet[Vacancy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in Component.choices:
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=0,
                max_value=MAX_WEIGHT,
                error_messages={
                    "min_value": gettext_lazy("A weight is a whole number from 0 to 100."),
                    "max_value": gettext_lazy("A weight is a whole number from 0 to 100."),
                    "invalid": gettext_lazy("A weight is a whole number from 0 to 100."),
                },
            )
        # Weights first, then the vacancy to preview.
        self.order_fields([*Component.values, "vacancy"])
        self.fields["vacancy"].queryset = vacancies

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                engine.validate_weights({name: data[name] for name in Component.values})
            except DomainError as error:
                raise ValidationError(_refusal(error)) from None
        return data

    def values(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in Component.values}


def scheme_vacancies(agreement: Agreement | None) -> QuerySet[Vacancy]:
    """The published vacancies whose ranking these weights decide: the scheme's own, or for the
    national default those outside a scheme or in a scheme without weights of its own."""
    published = Vacancy.objects.published().select_related("country").order_by("title_en", "pk")
    if agreement is not None:
        return published.filter(agreement=agreement)
    with_own = MatchWeights.objects.filter(agreement=OuterRef("agreement_id"))
    return published.filter(Q(agreement__isnull=True) | ~Exists(with_own))


def _preview_rows(request: HttpRequest, vacancy: Vacancy, values: dict[str, int]) -> list[dict]:
    rows = engine.preview(vacancy, values, limit=PREVIEW_LIMIT)
    people = JobSeeker.objects.visible_to(request.user).in_bulk([row.job_seeker_id for row in rows])
    shown = [
        {"person": people[row.job_seeker_id], "row": row}
        for row in rows
        if row.job_seeker_id in people
    ]
    for item in shown:
        row = item["row"]
        moved = (
            0
            if row.rank_before is None or row.rank_after is None
            else row.rank_before - row.rank_after
        )
        item["moved"], item["places"] = moved, abs(moved)
    access_record_many(
        actor=request.user,
        subjects=[item["person"] for item in shown],
        action=AccessAction.VIEW,
        purpose="matching weights preview",
    )
    return shown


@workspace_view(Right.MATCHING_WEIGHTS)
def weights_edit(request: HttpRequest, scheme: str) -> HttpResponse:
    """Edit one scheme's weights (or the national default): "Preview" shows how a chosen
    vacancy's top 20 would move, "Save" puts them in force. Nothing is stored on a preview or on
    weights that make no sense."""
    agreement = _scheme(scheme)
    row = (
        MatchWeights.objects.filter(agreement__isnull=True).first()
        if agreement is None
        else MatchWeights.objects.filter(agreement=agreement).first()
    )
    if row is not None:
        initial: dict[str, Any] = row.as_dict()
    else:
        national = MatchWeights.objects.filter(agreement__isnull=True).first()
        initial = national.as_dict() if national else dict(DEFAULT_WEIGHTS)
    vacancies = scheme_vacancies(agreement)
    form = WeightsForm(
        request.POST if request.method == "POST" else None, initial=initial, vacancies=vacancies
    )
    preview = None
    preview_vacancy = None
    if request.method == "POST" and form.is_valid():
        if "save" in request.POST:
            try:
                set_weights(agreement, form.values(), actor=request.user)
            except DomainError as error:
                form.add_error(None, _refusal(error))
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The new weights are in force."))
                return redirect("workspace:matching_weights")
        else:
            preview_vacancy = form.cleaned_data["vacancy"]
            if preview_vacancy is None:
                form.add_error("vacancy", _("Choose a vacancy to preview."))
            else:
                preview = _preview_rows(request, preview_vacancy, form.values())
    return render(
        request,
        "workspace/matching/weights_edit.html",
        {
            "agreement": agreement,
            "row": row,
            "form": form,
            "weight_fields": [form[name] for name in Component.values],
            "preview": preview,
            "preview_vacancy": preview_vacancy,
            "has_vacancies": vacancies.exists(),
            "list_url": reverse("workspace:matching_weights"),
        },
        status=400 if form.errors else 200,
    )
