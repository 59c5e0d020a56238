"""Likely duplicates in the workspace: the review queue, the two records side by side with the
evidence, and the decisions (merge, "not the same person", undo a merge).

Pairs are addressed by the candidate's id, never by a person's data. The queue lists
registration numbers and scores only; opening a pair shows both records and logs the view of
each in the personal-data access log."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gza.core.audit import access_record
from gza.core.enums import AccessAction
from gza.core.errors import DomainError
from gza.core.roles import Right
from gza.registry.duplicate_models import DuplicateCandidate, MergeRecord
from gza.registry.merge import duplicate_dismiss, duplicate_merge, merge_undo
from gza.registry.models import JobSeeker
from gza.web.workspace.access import workspace_view
from gza.web.workspace.paging import paginate

FIELD_LABELS = {
    "last_name": gettext_lazy("Last name"),
    "first_name": gettext_lazy("First name"),
    "birth_date": gettext_lazy("Date of birth"),
    "personal_number": gettext_lazy("Personal number"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail address"),
    "passport": gettext_lazy("Passport number"),
    "municipality": gettext_lazy("Municipality"),
    "sex": gettext_lazy("Sex"),
}
LEVEL_LABELS = {
    "exact": gettext_lazy("the same"),
    "close": gettext_lazy("one typing error apart"),
    "similar": gettext_lazy("similar"),
    "different": gettext_lazy("different"),
    "swapped": gettext_lazy("day and month swapped"),
    "one_digit": gettext_lazy("one digit apart"),
    "same_year": gettext_lazy("same year only"),
}


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(
        label=gettext_lazy("Record to keep"), widget=forms.RadioSelect, choices=()
    )
    personal_numbers_checked = forms.BooleanField(
        label=gettext_lazy("The personal numbers differ: I checked the ID document"),
        required=False,
    )

    def __init__(self, *args, candidate: DuplicateCandidate, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [
            (str(person.pk), person.registration_number)
            for person in (candidate.person_a, candidate.person_b)
        ]
        self.initial.setdefault("survivor", str(candidate.person_a_id))
        if candidate.person_a.personal_number == candidate.person_b.personal_number:
            del self.fields["personal_numbers_checked"]


def _candidates(request: HttpRequest):
    visible = JobSeeker.objects.visible_to(request.user)
    return DuplicateCandidate.objects.filter(person_a__in=visible, person_b__in=visible)


def _candidate(request: HttpRequest, pk: int) -> DuplicateCandidate:
    return get_object_or_404(
        _candidates(request).select_related(
            "person_a__municipality", "person_b__municipality", "reviewed_by"
        ),
        pk=pk,
    )


def _mask(value: str) -> str:
    """A passport number shown only by its last three characters."""
    return "•" * max(len(value) - 3, 0) + value[-3:] if value else ""


def _comparison(candidate: DuplicateCandidate) -> list[dict]:
    """The rows of the side-by-side table, each marked with the evidence's level for it."""
    levels = {item["field"]: item for item in candidate.evidence.get("items", [])}
    a, b = candidate.person_a, candidate.person_b

    def row(label, field: str | None, left: object, right: object) -> dict:
        item = levels.get(field or "")
        return {
            "label": label,
            "a": left,
            "b": right,
            "same": left == right and left not in ("", None),
            "level": LEVEL_LABELS.get(item["level"], item["level"]) if item else "",
            "weight": item["weight"] if item else None,
        }

    return [
        row(_("Registration number"), None, a.registration_number, b.registration_number),
        row(
            _("Name (Georgian)"),
            "last_name",
            a.first_name + " " + a.last_name,
            b.first_name + " " + b.last_name,
        ),
        row(
            _("Name (Latin)"),
            "first_name",
            f"{a.first_name_latin} {a.last_name_latin}".strip(),
            f"{b.first_name_latin} {b.last_name_latin}".strip(),
        ),
        row(_("Date of birth"), "birth_date", a.birth_date, b.birth_date),
        row(_("Sex"), "sex", a.get_sex_display(), b.get_sex_display()),
        row(_("Personal number"), "personal_number", a.personal_number, b.personal_number),
        row(_("Phone"), "phone", a.phone, b.phone),
        row(_("E-mail address"), "email", a.email, b.email),
        row(_("Municipality"), "municipality", a.municipality.name, b.municipality.name),
        row(_("Passport number"), "passport", _mask(a.passport_number), _mask(b.passport_number)),
        row(_("Registered"), None, a.created_at.date(), b.created_at.date()),
        row(
            _("Registered through"),
            None,
            a.get_registered_via_display(),
            b.get_registered_via_display(),
        ),
    ]


@workspace_view(Right.DUPLICATES_REVIEW)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    queue = (
        _candidates(request)
        .open()
        .select_related("person_a", "person_b")
        .only(
            "score",
            "detected_at",
            "person_a__registration_number",
            "person_b__registration_number",
        )
        .order_by("-score", "id")
    )
    return render(request, "workspace/duplicates/list.html", {"page": paginate(request, queue)})


@workspace_view(Right.DUPLICATES_REVIEW)
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    return _detail(request, candidate, MergeForm(candidate=candidate))


def _detail(
    request: HttpRequest, candidate: DuplicateCandidate, form: MergeForm, status: int = 200
) -> HttpResponse:
    for person in (candidate.person_a, candidate.person_b):
        access_record(
            actor=request.user, subject=person, action=AccessAction.VIEW, purpose="duplicates"
        )
    evidence = [
        {
            "field": FIELD_LABELS.get(item["field"], item["field"]),
            "level": LEVEL_LABELS.get(item["level"], item["level"]),
            "weight": item["weight"],
        }
        for item in candidate.evidence.get("items", [])
    ]
    return render(
        request,
        "workspace/duplicates/detail.html",
        {
            "candidate": candidate,
            "rows": _comparison(candidate),
            "evidence": evidence,
            "form": form,
            "is_open": candidate.status == "open",
            "numbers_differ": "personal_numbers_checked" in form.fields,
        },
        status=status,
    )


@workspace_view(Right.DUPLICATES_REVIEW)
@require_POST
def duplicate_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    form = MergeForm(request.POST, candidate=candidate)
    if form.is_valid():
        survivor = (
            candidate.person_a
            if form.cleaned_data["survivor"] == str(candidate.person_a_id)
            else candidate.person_b
        )
        try:
            duplicate_merge(
                candidate=candidate,
                survivor=survivor,
                actor=request.user,
                personal_numbers_checked=form.cleaned_data.get("personal_numbers_checked", False),
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The records were merged. The merge can be undone."))
            return redirect("workspace:merge_list")
    return _detail(request, candidate, form, status=400)


@workspace_view(Right.DUPLICATES_REVIEW)
@require_POST
def duplicate_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    try:
        duplicate_dismiss(candidate=candidate, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("workspace:duplicate_detail", pk=candidate.pk)
    messages.success(request, _("Marked as not the same person."))
    return redirect("workspace:duplicate_list")


def _merges(request: HttpRequest):
    visible = JobSeeker.objects.visible_to(request.user)
    return MergeRecord.objects.filter(survivor__in=visible, merged__in=visible)


@workspace_view(Right.DUPLICATES_REVIEW)
def merge_list(request: HttpRequest) -> HttpResponse:
    merges = _merges(request).select_related(
        "survivor", "merged", "performed_by", "undone_by", "candidate"
    )
    return render(request, "workspace/duplicates/merges.html", {"page": paginate(request, merges)})


@workspace_view(Right.DUPLICATES_REVIEW)
@require_POST
def merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(_merges(request), pk=pk)
    try:
        merge_undo(record=record, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The merge was undone; the pair is back in the queue."))
    return redirect("workspace:merge_list")
