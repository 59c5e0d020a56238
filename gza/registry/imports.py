"""Bulk import of job seekers ("job_seekers"): a service centre's or a partner's list of people,
from CSV or XLSX, keyed by the personal number (the framework is described in
gza/core/imports.py).

A file may hold 100,000 people (a registration campaign's paper forms typed up), so the import
stores its lines in batches (`apply_batch`): every line of a batch is validated in Python first
(the model's field validators, look-ups of municipalities, occupations and languages loaded once
per job), then the people already registered are found with one query, the new ones are
inserted and the changed ones updated in bulk, all in one transaction. `apply` stores one line
through the same code, for the framework's line-by-line fallback when a batch fails as a whole.

- A new person is registered through the import (`registered_via`), by the importer's
  organisation, and gets a lifetime registration number; the Latin names, when left empty, are
  suggested from the Georgian by the national romanisation.
- A person already registered is updated, if the importer may see the record
  (`JobSeeker.objects.visible_to`); otherwise the line is refused as registered by another
  organisation, saying nothing more about the record. A column left out of the file leaves the
  field alone; the occupations and languages columns replace the person's lists.
- Audit: a batch writes one event on the import job with its counts (people created, lines
  updated, records changed) rather than 100,000 creation events: a new record says itself that
  it was imported (`registered_via`), by which organisation, and when. A record already
  registered that the line changes gets its own event (UPDATED, with the changes, as an edit by
  hand would) and an access-log entry, so the person's history and privacy page show it. All
  are written in bulk with the batch. Nothing about the people goes into the log.
- `after_import(people)` is called once per stored batch, inside its transaction.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import current_ip
from gza.core.enums import AccessAction, AuditVerb, ImportRowStatus
from gza.core.imports import Column, Import, ImportContext, ImportLine, LineOutcome, register
from gza.core.models import AccessLogEntry, AuditEvent, User
from gza.core.roles import Right
from gza.core.validators import validate_personal_number
from gza.demand.enums import DrivingLicence
from gza.demand.imports import parse_date, parse_driving_licences, parse_languages
from gza.demand.validators import validate_driving_licences
from gza.matching.coding import code_from_text
from gza.registry.enums import RecordStatus, RegistrationChannel, Sex
from gza.registry.models import (
    MAX_YEARS_EXPERIENCE,
    JobSeeker,
    LanguageSkill,
    SoughtOccupation,
    new_registration_number,
)
from gza.registry.name_index import index_names
from gza.registry.names import romanise
from gza.registry.tasks import check_for_duplicates_after_commit
from gza.registry.validators import (
    normalise_phone,
    validate_birth_date,
    validate_georgian_name,
    validate_latin_name,
    validate_passport_number,
)
from gza.taxonomy.models import CefrLevel, Language, Municipality, Occupation


def after_import(people: Sequence[JobSeeker]) -> None:
    """Called once per stored batch with the people it created or updated, inside the batch's
    transaction: their names go into the search's dictionary (bulk writes skip save(), which
    does it for single records), and once the batch commits a background task looks for
    likely duplicates of them, and shortlists are re-matched (bulk writes skip the signals
    that ask for it)."""
    from gza.matching.tasks import schedule_rematch

    index_names(key for person in people for key in (person.first_name_key, person.last_name_key))
    check_for_duplicates_after_commit(person.pk for person in people if person.pk)
    if people:
        schedule_rematch(vacancy_ids=None)


# Messages ------------------------------------------------------------------------------------

REGISTERED_ELSEWHERE = _(
    "A person with this personal number is already registered by another organisation; the "
    "record is not changed. Ask the ministry to update it."
)
MERGED = _(
    "The record with this personal number was merged into another one as a duplicate; it is "
    "not changed. Update the record it was merged into."
)
NOT_A_SEX = _("“%(value)s” is not a sex: write female or male (ქალი or კაცი).")
UNKNOWN_MUNICIPALITY = _(
    "“%(value)s” is not a municipality of Georgia. Write its name in Georgian or English, as "
    "in the template's help."
)
NOT_AN_OCCUPATION_LIST = _(
    "“%(value)s” is not an occupation: write the 4-digit ISCO-08 code or the occupation in "
    "words, and the years of experience after a colon if known, for example 7115:3; 9211."
)
YEARS_OUT_OF_RANGE = _("Years of experience are between 0 and %(maximum)s (“%(value)s”).")
UNKNOWN_OCCUPATION = _("%(value)s is not an ISCO-08 unit group (4 digits, for example 7115).")
OCCUPATION_TWICE = _("The occupation %(value)s is named twice.")
LANGUAGE_TWICE = _("The language %(value)s is named twice.")
UNKNOWN_LANGUAGE = _("“%(value)s” is not a language code (ISO 639-1, for example pl).")
UNKNOWN_LEVEL = _("“%(value)s” is not a CEFR level: write A1, A2, B1, B2, C1 or C2.")


# Cells as people write them ------------------------------------------------------------------

_SEXES = {
    **dict.fromkeys(("f", "female", "woman", "ქ", "ქალი", "მდედრობითი"), Sex.FEMALE),
    **dict.fromkeys(("m", "male", "man", "კ", "მ", "კაცი", "მამაკაცი", "მამრობითი"), Sex.MALE),
}
_OCCUPATION_ITEM = re.compile(r"(\d{4})(?:\s*[:\s]\s*(\d{1,3}))?")
_SEPARATORS = re.compile(r"[;,\n]+")
_KNOWN_LICENCES = frozenset(DrivingLicence.values)


def _words(text: str) -> str:
    return " ".join(text.split())


def parse_personal_number(text: str) -> str:
    """Eleven digits; spaces and hyphens people type between groups are dropped."""
    number = re.sub(r"[\s\-]", "", text)
    validate_personal_number(number)
    return number


def parse_georgian_name(text: str) -> str:
    name = _words(text)
    validate_georgian_name(name)
    return name


def parse_latin_name(text: str) -> str:
    name = _words(text)
    validate_latin_name(name)
    return name


def parse_birth_date(text: str) -> datetime.date:
    day = parse_date(text)
    validate_birth_date(day)
    return day


def parse_sex(text: str) -> str:
    sex = _SEXES.get(_words(text).casefold())
    if sex is None:
        raise ValidationError(NOT_A_SEX, code="sex", params={"value": text})
    return sex


def parse_municipality(text: str) -> str:
    """The spelling as written; which municipality it names is looked up once per job."""
    return _words(text)


def parse_email(text: str) -> str:
    address = text.strip().lower()
    validate_email(address)
    return address


def parse_passport_number(text: str) -> str:
    number = re.sub(r"\s", "", text).upper()
    validate_passport_number(number)
    return number


def parse_licences(text: str) -> str:
    licences = parse_driving_licences(text)
    categories = licences.split(",")
    # The model's validator builds the list of categories on every call: run it (for its
    # message) only on a value that is not plainly right.
    if not _KNOWN_LICENCES.issuperset(categories) or len(set(categories)) != len(categories):
        validate_driving_licences(licences)
    return licences


def parse_occupations(text: str) -> tuple[tuple[str, int], ...]:
    """ISCO-08 unit groups with optional years of experience: "7115:3; 9211". Whether a code
    exists is checked against the taxonomy, once per job."""
    pairs: dict[str, int] = {}
    for item in _SEPARATORS.split(text):
        item = item.strip()
        if not item:
            continue
        match = _OCCUPATION_ITEM.fullmatch(item)
        if match is not None:
            code, years = match.group(1), int(match.group(2) or 0)
        else:
            code, years = _coded_item(item)
        if years > MAX_YEARS_EXPERIENCE:
            raise ValidationError(
                YEARS_OUT_OF_RANGE,
                code="years",
                params={"value": item, "maximum": MAX_YEARS_EXPERIENCE},
            )
        if code in pairs:
            raise ValidationError(OCCUPATION_TWICE, code="occupation_twice", params={"value": code})
        pairs[code] = years
    return tuple(pairs.items())


def _coded_item(item: str) -> tuple[str, int]:
    """An occupation in words, with the years after a colon ("შემდუღებელი: 3"), coded by the
    autocoder when it is confident enough (gza/matching/coding.py)."""
    words, _colon, years = item.rpartition(":")
    if not words or not years.strip().isdigit():
        words, years = item, "0"
    if not any(ch.isalpha() for ch in words):
        raise ValidationError(NOT_AN_OCCUPATION_LIST, code="occupation", params={"value": item})
    return code_from_text(words), int(years)


def parse_language_skills(text: str) -> tuple[tuple[str, str], ...]:
    """Languages with their CEFR level, "pl:B1; en:A2" (as in the vacancy import)."""
    pairs = parse_languages(text)
    seen: set[str] = set()
    for code, _level in pairs:
        if code in seen:
            raise ValidationError(LANGUAGE_TWICE, code="language_twice", params={"value": code})
        seen.add(code)
    return pairs


# The import ----------------------------------------------------------------------------------

# Columns whose value is the model field's value as it is.
_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "first_name_latin",
    "last_name_latin",
    "birth_date",
    "sex",
    "phone",
    "email",
    "passport_number",
    "passport_expiry",
    "driving_licences",
    "availability_date",
    "external_ref",
)
# Compared to tell whether an update changes a record (and audited with their values).
_COMPARED_FIELDS = (*_PERSON_FIELDS, "municipality_id")
# The model's field validators run per line on the fields whose column parsers do not already
# run them (lengths, the e-mail, the Latin names suggested by romanisation); the others were
# checked as their cells were parsed, the foreign keys against the cached look-ups (Django's
# check is a query per key), the uniqueness of the personal number by the batch's one look-up.
# JobSeeker.clean() only normalises the phone and the e-mail, which their parsers do.
_CLEANED = (
    "first_name",
    "last_name",
    "first_name_latin",
    "last_name_latin",
    "email",
    "external_ref",
)
_NOT_CLEANED = tuple(
    field.name for field in JobSeeker._meta.concrete_fields if field.name not in _CLEANED
)


def _references(context: ImportContext) -> dict[str, Any]:
    """Municipalities by every spelling, and the known occupations, languages and levels:
    loaded once per job (a few hundred rows), then every line is checked in memory."""
    if "registry" not in context.cache:
        municipalities: dict[str, str] = {}
        for code, name_ka, name_en in Municipality.objects.values_list(
            "code", "name_ka", "name_en"
        ):
            for spelling in (code, name_ka, name_en):
                municipalities[spelling.casefold()] = code
        context.cache["registry"] = {
            "municipalities": municipalities,
            "occupations": set(Occupation.objects.filter(level=4).values_list("code", flat=True)),
            "languages": set(Language.objects.values_list("code", flat=True)),
            "levels": set(CefrLevel.objects.values_list("code", flat=True)),
        }
    return context.cache["registry"]


def _check_lists(row: dict[str, Any], references: dict[str, Any]) -> dict[str, list]:
    """The line's occupation and language codes checked against the taxonomy."""
    errors: dict[str, list] = {}
    for code, _years in row.get("occupations", ()):
        if code not in references["occupations"]:
            errors.setdefault("occupations", []).append(
                ValidationError(UNKNOWN_OCCUPATION, code="unknown", params={"value": code})
            )
    for code, level in row.get("languages", ()):
        if code not in references["languages"]:
            errors.setdefault("languages", []).append(
                ValidationError(UNKNOWN_LANGUAGE, code="unknown", params={"value": code})
            )
        if level not in references["levels"]:
            errors.setdefault("languages", []).append(
                ValidationError(UNKNOWN_LEVEL, code="unknown_level", params={"value": level})
            )
    return errors


def _values(person: JobSeeker) -> dict[str, str]:
    return {
        name: "" if getattr(person, name) is None else str(getattr(person, name))
        for name in _COMPARED_FIELDS
    }


def _free_registration_numbers(count: int) -> list[str]:
    """`count` new registration numbers, distinct among themselves and from those stored (one
    query): random numbers meet by the birthday paradox, almost surely in 100,000 people."""
    numbers: set[str] = set()
    while len(numbers) < count:
        drawn = {new_registration_number() for _ in range(count - len(numbers))} - numbers
        taken = set(
            JobSeeker.objects.filter(registration_number__in=drawn).values_list(
                "registration_number", flat=True
            )
        )
        numbers |= drawn - taken
    return list(numbers)


@register
class JobSeekerImport(Import):
    name = "job_seekers"
    label = _("Job seekers")
    description = _(
        "One line per person, identified by the personal number. A new person is registered "
        "and gets a registration number; a person already registered by your organisation has "
        "the record updated (importing the same file again changes nothing). A column left out "
        "of the file leaves that field alone. The Latin names, if empty, are suggested from the "
        "Georgian ones."
    )
    right = Right.JOB_SEEKERS_MANAGE
    model = JobSeeker
    key_columns = ("personal_number",)
    columns = (
        Column(
            "personal_number",
            "პირადი ნომერი",
            "Personal number",
            required=True,
            parser=parse_personal_number,
            help=_("11 digits, as on the ID card."),
        ),
        Column(
            "first_name",
            "სახელი",
            "First name (Georgian)",
            required=True,
            parser=parse_georgian_name,
            help=_("In Georgian letters, as on the ID card."),
        ),
        Column(
            "last_name",
            "გვარი",
            "Last name (Georgian)",
            required=True,
            parser=parse_georgian_name,
            help=_("In Georgian letters, as on the ID card."),
        ),
        Column(
            "first_name_latin",
            "სახელი (ლათინურად)",
            "First name (Latin)",
            parser=parse_latin_name,
            help=_("As in the passport; if empty, romanised from the Georgian."),
        ),
        Column(
            "last_name_latin",
            "გვარი (ლათინურად)",
            "Last name (Latin)",
            parser=parse_latin_name,
            help=_("As in the passport; if empty, romanised from the Georgian."),
        ),
        Column(
            "birth_date",
            "დაბადების თარიღი",
            "Date of birth",
            required=True,
            parser=parse_birth_date,
            default=None,
            help=_("1990-05-17 or 17.05.1990; the person is at least 16."),
        ),
        Column(
            "sex",
            "სქესი",
            "Sex",
            required=True,
            parser=parse_sex,
            help=_("female or male (ქალი or კაცი)."),
        ),
        Column(
            "municipality",
            "მუნიციპალიტეტი",
            "Municipality",
            required=True,
            parser=parse_municipality,
            help=_("Its name in Georgian or English (Telavi, თელავი)."),
        ),
        Column(
            "phone",
            "ტელეფონი",
            "Phone",
            parser=normalise_phone,
            help=_("599 12 34 56, or with the country code for a number abroad."),
        ),
        Column("email", "ელფოსტა", "E-mail", parser=parse_email),
        Column(
            "passport_number",
            "პასპორტის ნომერი",
            "Passport number",
            parser=parse_passport_number,
        ),
        Column(
            "passport_expiry",
            "პასპორტის მოქმედების ვადა",
            "Passport valid until",
            parser=parse_date,
            default=None,
        ),
        Column(
            "occupations",
            "სასურველი პროფესიები (ISCO-08)",
            "Occupations sought (ISCO-08)",
            parser=parse_occupations,
            default=(),
            help=_(
                "4-digit ISCO-08 codes separated by semicolons, each with the years of "
                "experience after a colon if known: 7115:3; 9211."
            ),
        ),
        Column(
            "languages",
            "ენები",
            "Languages",
            parser=parse_language_skills,
            default=(),
            help=_("Language code and CEFR level, for example pl:B1; en:A2."),
        ),
        Column(
            "driving_licences",
            "მართვის მოწმობის კატეგორიები",
            "Driving licence categories",
            parser=parse_licences,
            help=_("For example B, C, CE."),
        ),
        Column(
            "availability_date",
            "ხელმისაწვდომია თარიღიდან",
            "Available from",
            parser=parse_date,
            default=None,
        ),
        Column(
            "external_ref",
            "გარე საცნობარო ნომერი",
            "External reference",
            help=_("The person's reference in the system the list comes from."),
        ),
    )

    def key(self, row: dict[str, Any]) -> str:
        return row["personal_number"]

    def apply(self, row: dict[str, Any], *, actor: User, context: ImportContext) -> str:
        line = ImportLine(context.line, row, row["personal_number"])
        [outcome] = self.apply_batch([line], actor=actor, context=context)
        if not isinstance(outcome, str):
            raise outcome
        return outcome

    def apply_batch(
        self, lines: Sequence[ImportLine], *, actor: User, context: ImportContext
    ) -> list[LineOutcome]:
        references = _references(context)
        existing = {
            person.personal_number: person
            for person in JobSeeker.objects.filter(
                personal_number__in=[line.row["personal_number"] for line in lines]
            )
        }
        visible: set[int] = set()
        if existing:
            visible = set(
                JobSeeker.objects.visible_to(actor)
                .filter(pk__in=[person.pk for person in existing.values()])
                .values_list("pk", flat=True)
            )
        outcomes: list[LineOutcome] = []
        created: list[tuple[JobSeeker, dict[str, Any]]] = []
        updated: list[tuple[JobSeeker, dict[str, Any], dict[str, str]]] = []
        for line in lines:
            person = existing.get(line.row["personal_number"])
            try:
                if person is not None and person.pk not in visible:
                    raise ValidationError(REGISTERED_ELSEWHERE, code="registered_elsewhere")
                if person is not None and person.status == RecordStatus.MERGED:
                    raise ValidationError(MERGED, code="merged")
                before = _values(person) if person is not None else None
                person = self._prepare(line.row, person, actor, references)
            except ValidationError as error:
                outcomes.append(error)
                continue
            if before is None:
                created.append((person, line.row))
                outcomes.append(ImportRowStatus.CREATED)
            else:
                updated.append((person, line.row, before))
                outcomes.append(ImportRowStatus.UPDATED)
        if created or updated:
            self._write(created, updated, actor=actor, context=context)
        return outcomes

    def _prepare(
        self,
        row: dict[str, Any],
        person: JobSeeker | None,
        actor: User,
        references: dict[str, Any],
    ) -> JobSeeker:
        """The person with the line's values set and checked (nothing written yet)."""
        if person is None:
            person = JobSeeker(
                personal_number=row["personal_number"],
                registered_via=RegistrationChannel.IMPORT,
                registered_by_organisation_id=actor.organisation_id,
            )
        for name in _PERSON_FIELDS:
            if name in row:
                setattr(person, name, row[name])
        for latin, georgian in (
            ("first_name_latin", "first_name"),
            ("last_name_latin", "last_name"),
        ):
            # Suggested when the cell is empty, or for a new person when the column is absent.
            if not row.get(latin) and (latin in row or person.pk is None):
                setattr(person, latin, romanise(getattr(person, georgian)))
        errors = _check_lists(row, references)
        if "municipality" in row:
            code = references["municipalities"].get(row["municipality"].casefold())
            if code is None:
                errors["municipality"] = [
                    ValidationError(
                        UNKNOWN_MUNICIPALITY,
                        code="unknown_municipality",
                        params={"value": row["municipality"]},
                    )
                ]
            else:
                person.municipality_id = code
        try:
            person.clean_fields(exclude=[*_NOT_CLEANED, *errors])
        except ValidationError as error:
            for name, messages in error.error_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        return person

    def _write(
        self,
        created: list[tuple[JobSeeker, dict[str, Any]]],
        updated: list[tuple[JobSeeker, dict[str, Any], dict[str, str]]],
        *,
        actor: User,
        context: ImportContext,
    ) -> None:
        """Store the batch's checked people, their lists, and the audit trail, in bulk."""
        now = timezone.now()
        new_people = [person for person, _row in created]
        for person, number in zip(
            new_people, _free_registration_numbers(len(new_people)), strict=True
        ):
            person.registration_number = number
            person.refresh_name_keys()
        JobSeeker.objects.bulk_create(new_people)

        changed: list[tuple[JobSeeker, dict[str, list[str]]]] = []
        changed_fields: set[str] = set()
        for person, _row, before in updated:
            person.refresh_name_keys()
            after = _values(person)
            changes = {
                name: [before[name], after[name]] for name in before if before[name] != after[name]
            }
            if changes:
                changed.append((person, changes))
                changed_fields |= {name.removesuffix("_id") for name in changes}
        if changed:
            for person, _changes in changed:
                person.updated_at = now
            names = {"first_name_key", "last_name_key", "updated_at", *changed_fields}
            JobSeeker.objects.bulk_update([person for person, _ in changed], sorted(names))

        lists_changed = self._write_lists(
            [*created, *((person, row) for person, row, _before in updated)],
            new={person.pk for person in new_people},
        )

        # The audit trail. The people created are counted in one event per batch on the job
        # (each record says itself that it was imported, by which organisation, and when); a
        # change to a record already registered is one event per person, with the changes,
        # and an access-log entry, as an edit by hand would be.
        payloads: dict[int, dict[str, Any]] = {
            person.pk: {"changes": changes} for person, changes in changed
        }
        for pk, lists in lists_changed.items():
            payloads.setdefault(pk, {})["lists_replaced"] = lists
        person_type = ContentType.objects.get_for_model(JobSeeker)
        ip_address = current_ip.get()
        events = [
            AuditEvent(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target_type=person_type,
                target_id=str(pk),
                payload={**payload, "import_job": context.job.pk},
                ip_address=ip_address,
                created_at=now,
            )
            for pk, payload in payloads.items()
        ]
        events.append(
            AuditEvent(
                actor=actor,
                verb=AuditVerb.UPDATED,
                target_type=ContentType.objects.get_for_model(context.job),
                target_id=str(context.job.pk),
                payload={
                    "batch_from_line": context.line,
                    "created": len(new_people),
                    "updated": len(updated),
                    "changed": len(payloads),
                },
                ip_address=ip_address,
                created_at=now,
            )
        )
        AuditEvent.objects.bulk_create(events)
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                actor=actor,
                action=AccessAction.CHANGE,
                subject_type=person_type,
                subject_id=str(pk),
                purpose="import",
                ip_address=ip_address,
                created_at=now,
            )
            for pk in payloads
        )
        after_import(new_people + [person for person, _row, _before in updated])

    def _write_lists(
        self, people: Iterable[tuple[JobSeeker, dict[str, Any]]], *, new: set[int]
    ) -> dict[int, list[str]]:
        """Replace the occupations and languages of the people whose line has those columns,
        where they differ from what is stored. Returns, for each person already registered
        whose lists changed, which did (a new person's lists are part of the creation)."""
        people = list(people)
        changed: dict[int, list[str]] = {}
        for name, model, fields, make in (
            ("occupations", SoughtOccupation, ("occupation_id", "years_experience"), _occupation),
            ("languages", LanguageSkill, ("language_id", "level_id"), _language_skill),
        ):
            wanted = {person.pk: set(row[name]) for person, row in people if name in row}
            stored: dict[int, set[tuple]] = {pk: set() for pk in wanted}
            known = [pk for pk in wanted if pk not in new]
            if known:
                for pk, *values in model.objects.filter(job_seeker_id__in=known).values_list(
                    "job_seeker_id", *fields
                ):
                    stored[pk].add(tuple(values))
            replaced = [pk for pk, items in wanted.items() if items != stored[pk]]
            if not replaced:
                continue
            if emptied := [pk for pk in replaced if stored[pk]]:
                model.objects.filter(job_seeker_id__in=emptied).delete()
            model.objects.bulk_create(make(pk, item) for pk in replaced for item in wanted[pk])
            for pk in replaced:
                if pk not in new:
                    changed.setdefault(pk, []).append(name)
        return changed


def _occupation(pk: int, item: tuple[str, int]) -> SoughtOccupation:
    return SoughtOccupation(job_seeker_id=pk, occupation_id=item[0], years_experience=item[1])


def _language_skill(pk: int, item: tuple[str, str]) -> LanguageSkill:
    return LanguageSkill(job_seeker_id=pk, language_id=item[0], level_id=item[1])
