import datetime
import io
import math

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.forms.models import modelform_factory
from django.utils import translation

from gza.core.audit import history_of
from gza.core.errors import DomainError
from gza.registry import duplicates
from gza.registry.duplicate_models import DuplicateCandidate, MergeRecord
from gza.registry.enums import ConsentPurpose, DuplicateStatus, RecordStatus
from gza.registry.merge import (
    HANDLED_RELATIONS,
    STAYING_RELATIONS,
    MergeRefusal,
    duplicate_dismiss,
    duplicate_merge,
    merge_undo,
)
from gza.registry.models import (
    Consent,
    ConsentText,
    Education,
    JobSeeker,
)
from gza.registry.profile import job_seeker_register_assisted
from gza.registry.tasks import scan_duplicates_task
from tests.core.factories import UserFactory
from tests.registry.factories import (
    DuplicateCandidateFactory,
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1990, 4, 17)


def _giorgi(**kwargs) -> JobSeeker:
    """Giorgi Tskhvediani of Telavi, with contacts; each call a new record (and number)."""
    values = {
        "first_name": "გიორგი",
        "last_name": "ცხვედიანი",
        "first_name_latin": "Giorgi",
        "last_name_latin": "Tskhvediani",
        "birth_date": BIRTH,
        "sex": "m",
        "phone": "+995599123456",
        "email": "giorgi@example.ge",
        "municipality_id": "telavi",
    }
    values.update(kwargs)
    return JobSeekerFactory(**values)


def _row(person: JobSeeker) -> duplicates.PersonRow:
    return duplicates._row(person)


# Exact personal-number clashes -----------------------------------------------------------------


def test_a_personal_number_clash_through_the_registration_service_is_refused_and_nothing_stored():
    officer = UserFactory()
    existing = _giorgi(personal_number="01001012345")
    again = JobSeeker(
        personal_number="01001012345",
        first_name="ნინო",
        last_name="ბერიძე",
        sex="f",
        birth_date=datetime.date(1992, 1, 1),
        municipality_id="batumi",
    )
    with translation.override("en"), pytest.raises(ValidationError) as error:
        job_seeker_register_assisted(
            actor=officer, person=again, consents=[ConsentPurpose.REGISTRATION]
        )
    assert "personal_number" in error.value.message_dict
    with translation.override("en"):
        assert error.value.message_dict["personal_number"] == [
            "A person with this personal number is already registered."
        ]
    assert list(JobSeeker.objects.values_list("pk", flat=True)) == [existing.pk]
    assert not Consent.objects.exists()


def test_a_personal_number_clash_in_a_form_is_a_field_error():
    _giorgi(personal_number="01001012345")
    form_class = modelform_factory(
        JobSeeker,
        fields=["personal_number", "first_name", "last_name", "sex", "birth_date", "municipality"],
    )
    form = form_class(
        data={
            "personal_number": "01001012345",
            "first_name": "ნინო",
            "last_name": "ბერიძე",
            "sex": "f",
            "birth_date": "1992-01-01",
            "municipality": "batumi",
        }
    )
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["personal_number"] == [
            "A person with this personal number is already registered."
        ]
    assert JobSeeker.objects.count() == 1


# Scoring ---------------------------------------------------------------------------------------


def test_jaro_winkler_matches_the_textbook_values():
    assert duplicates.jaro_winkler("martha", "marhta") == pytest.approx(0.9611, abs=1e-4)
    assert duplicates.jaro_winkler("dixon", "dicksonx") == pytest.approx(0.8133, abs=1e-4)
    assert duplicates.jaro_winkler("abc", "abc") == 1.0
    assert duplicates.jaro_winkler("", "abc") == 0.0


def test_one_typo_is_one_substitution_or_two_neighbours_swapped():
    assert duplicates.one_typo("01001012345", "01001012346")
    assert duplicates.one_typo("01001012345", "01001013245")
    assert not duplicates.one_typo("01001012345", "01001012345")
    assert not duplicates.one_typo("01001012345", "01001012399")
    assert not duplicates.one_typo("0100101234", "01001012345")


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("19900417", "19900417", "exact"),
        ("19900407", "19900704", "swapped"),
        ("19900417", "19900418", "one_digit"),
        ("19900417", "19904017", "one_digit"),
        ("19900417", "19901122", "same_year"),
        ("19900417", "19851122", "different"),
    ],
)
def test_birth_dates_fall_into_levels(a, b, level):
    assert duplicates._date_level(a, b) == level


def test_weights_are_log_odds_of_m_over_u():
    m, u = duplicates.LEVELS["phone"]["exact"]
    assert duplicates.WEIGHTS["phone"]["exact"] == pytest.approx(math.log2(m / u))
    assert duplicates.probability(0) == 0.5
    assert duplicates.probability(100) == 1.0


def test_a_script_variant_with_a_typoed_personal_number_scores_high_and_explains_why():
    one = _giorgi(personal_number="01001012345")
    # Registered again from the passport's Latin line: no Latin name, the Georgian re-typed
    # without the ejective letter (ც for წ does not occur here, so the key is the same).
    two = _giorgi(
        personal_number="01001012354",
        last_name="ცხვედიანი",
        first_name_latin="",
        last_name_latin="",
        email="",
    )
    match = duplicates.Scorer().match(_row(one), _row(two))
    assert match.score > 0.999
    fields = {field: level for field, level, _weight in match.evidence}
    assert fields["personal_number"] == "one_digit"
    assert fields["last_name"] == "exact"
    assert fields["birth_date"] == "exact"
    assert fields["phone"] == "exact"
    assert "email" not in fields  # missing on one side says nothing
    assert match.evidence_json()["items"][0] == {
        "field": "last_name",
        "level": "exact",
        "weight": round(match.evidence[0][2], 2),
    }


def test_latin_names_count_when_the_georgian_ones_differ():
    one = _giorgi(last_name="ცხვედიანი", last_name_latin="Tskhvediani")
    two = _giorgi(last_name="ცხვედია", last_name_latin="Tsxvediani")
    fields = {f: level for f, level, _w in duplicates.Scorer().compare(_row(one), _row(two))}
    assert fields["last_name"] == "exact"


def test_namesakes_born_on_other_days_are_not_duplicates():
    one = _giorgi()
    other = _giorgi(
        birth_date=datetime.date(1990, 9, 3),
        phone="+995577000111",
        email="other@example.ge",
        municipality_id="batumi",
    )
    match = duplicates.Scorer().match(_row(one), _row(other))
    assert match.score < duplicates.DEFAULT_REVIEW_THRESHOLD


def test_the_score_never_leaves_zero_to_one_and_grows_with_evidence():
    one, two = _giorgi(), _giorgi(phone="", email="")
    weaker = duplicates.Scorer().match(_row(one), _row(two))
    two.phone, two.email = one.phone, one.email
    stronger = duplicates.Scorer().match(_row(one), _row(two))
    assert 0 <= weaker.score <= stronger.score <= 1


# Blocking and the scan -------------------------------------------------------------------------


def test_blocking_finds_typo_script_and_birth_date_variants():
    one = _giorgi(personal_number="01001012345")
    # A typo in the last name, another phone, no e-mail: found by the birth date and the last
    # name's prefix, matched on the personal-number typo.
    typo = _giorgi(
        personal_number="01001012346",
        last_name="ცხვედანი",
        last_name_latin="",
        phone="+995577999888",
        email="",
    )
    # The Georgian name re-typed from the passport line (the ejective წ as ც would not change
    # the key), the birth date one digit off, no contacts: found by the name keys and the year.
    retyped = _giorgi(
        personal_number="01001012354",
        first_name_latin="Giorgy",
        last_name_latin="Tsxvediani",
        birth_date=datetime.date(1990, 4, 18),
        phone="",
        email="",
    )
    unrelated = _giorgi(
        first_name="ნინო",
        first_name_latin="Nino",
        last_name="ბერიძე",
        last_name_latin="Beridze",
        sex="f",
        birth_date=datetime.date(1970, 1, 1),
        phone="+995555000000",
        email="nino@example.ge",
    )
    rows = duplicates.load_rows()
    n = len(rows)
    found = {
        tuple(sorted((rows[c // n].id, rows[c % n].id))) for c in duplicates.candidate_pairs(rows)
    }
    assert (one.pk, typo.pk) in found
    assert (one.pk, retyped.pk) in found
    assert all(unrelated.pk not in pair for pair in found)
    matches = {(m.a, m.b) for m in duplicates.find_pairs(rows)}
    assert {(one.pk, typo.pk), (one.pk, retyped.pk)} <= matches
    assert all(unrelated.pk not in pair for pair in matches)


def test_oversized_blocks_are_skipped(monkeypatch):
    monkeypatch.setattr(duplicates, "MAX_BLOCK", 2)
    monkeypatch.setattr(duplicates, "PASSES", (duplicates._phone,))
    JobSeekerFactory.create_batch(3, phone="+995599000000")
    assert duplicates.candidate_pairs(duplicates.load_rows()) == set()
    monkeypatch.setattr(duplicates, "MAX_BLOCK", 3)
    assert len(duplicates.candidate_pairs(duplicates.load_rows())) == 3


def test_scan_queues_each_pair_once_and_never_reopens_a_dismissal():
    one = _giorgi(personal_number="01001012345")
    two = _giorgi(personal_number="01001012346")
    result = duplicates.scan()
    assert (result.people, result.found, result.queued) == (2, 1, 1)
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a_id, candidate.person_b_id) == (one.pk, two.pk)
    assert candidate.evidence["items"]
    duplicate_dismiss(candidate=candidate, actor=UserFactory())
    assert duplicates.scan().queued == 0
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISMISSED


def test_the_management_command_and_the_task_scan():
    _giorgi(personal_number="01001012345")
    _giorgi(personal_number="01001012346")
    out = io.StringIO()
    call_command("scan_duplicates", stdout=out)
    assert "1 likely duplicates" in out.getvalue()
    assert DuplicateCandidate.objects.count() == 1
    DuplicateCandidate.objects.all().delete()
    scan_duplicates_task.enqueue()
    assert DuplicateCandidate.objects.count() == 1


def test_find_duplicates_of_one_person_uses_few_queries(django_assert_max_num_queries):
    one = _giorgi(personal_number="01001012345")
    two = _giorgi(personal_number="01001012346", last_name="ცხვედანი", last_name_latin="")
    for number in range(5):
        JobSeekerFactory(birth_date=datetime.date(1970, 1, 1 + number))
    duplicates._registry_shares()  # the hourly figures, cached
    # The cache, the name-key counts and the blocks.
    with django_assert_max_num_queries(3):
        matches = duplicates.find_duplicates_of(two)
    assert [(m.a, m.b) for m in matches] == [(one.pk, two.pk)]


def test_record_candidates_queues_and_never_merges_by_default():
    one = _giorgi(personal_number="01001012345")
    two = _giorgi(personal_number="01001012346")
    candidates = duplicates.record_candidates(two)
    assert [(c.person_a_id, c.person_b_id) for c in candidates] == [(one.pk, two.pk)]
    assert candidates[0].score > 0.999
    assert candidates[0].status == DuplicateStatus.OPEN
    assert not MergeRecord.objects.exists()
    two.refresh_from_db()
    assert two.status == RecordStatus.ACTIVE


def test_auto_merge_only_when_configured_and_the_personal_number_is_a_typo(settings):
    settings.DUPLICATE_AUTO_MERGE_THRESHOLD = 0.995
    one = _giorgi(personal_number="01001012345")
    typo = _giorgi(personal_number="01001012346")
    duplicates.record_candidates(typo)
    record = MergeRecord.objects.get()
    assert record.automatic and record.performed_by is None
    assert (record.survivor_id, record.merged_id) == (one.pk, typo.pk)

    three = _giorgi(personal_number="77777777777")  # not a typo of either: review only
    candidates = duplicates.record_candidates(three)
    assert candidates and all(c.status == DuplicateStatus.OPEN for c in candidates)
    assert MergeRecord.objects.count() == 1


# Merge and undo --------------------------------------------------------------------------------


def _state(person: JobSeeker) -> dict:
    person.refresh_from_db()
    fields = {
        field.attname: getattr(person, field.attname)
        for field in JobSeeker._meta.concrete_fields
        if field.name != "updated_at"
    }
    return {
        "fields": fields,
        "education": sorted(person.education.values_list("pk", "field")),
        "occupations": sorted(
            person.sought_occupations.values_list("pk", "occupation_id", "years_experience")
        ),
        "languages": sorted(
            person.language_skills.values_list("pk", "language_id", "level_id", "certificate")
        ),
        "consents": sorted(person.consents.values_list("pk", "purpose", "withdrawn_at")),
        "skills": sorted(person.skills.values_list("pk", flat=True)),
        "countries": sorted(person.desired_countries.values_list("pk", flat=True)),
    }


@pytest.fixture
def consent_text():
    text, _created = ConsentText.objects.get_or_create(
        purpose=ConsentPurpose.REGISTRATION,
        version=1,
        defaults={"text_ka": "თანხმობა", "text_en": "Consent", "effective_from": "2020-01-01"},
    )
    return text


@pytest.fixture
def pair(consent_text):
    """Two records of one person, each with rows that clash and rows that do not."""
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    survivor = _giorgi(personal_number="01001012345", passport_number="", email="")
    merged = _giorgi(personal_number="01001012346", passport_number="13AB12345")
    merged.user = UserFactory(job_seeker=True)
    merged.save()
    SoughtOccupationFactory(job_seeker=survivor, occupation_id="9211", years_experience=2)
    SoughtOccupationFactory(job_seeker=merged, occupation_id="9211", years_experience=5)
    SoughtOccupationFactory(job_seeker=merged, occupation_id="5120", years_experience=1)
    LanguageSkillFactory(job_seeker=survivor, language_id="pl", level_id="B1")
    LanguageSkillFactory(job_seeker=merged, language_id="pl", level_id="A2")
    LanguageSkillFactory(job_seeker=merged, language_id="en", level_id="B2")
    Education.objects.create(job_seeker=merged, isced_level_id="3", field="Cooking")
    for person in (survivor, merged):
        Consent.objects.create(
            job_seeker=person, purpose=ConsentPurpose.REGISTRATION, text=consent_text, given_at=now
        )
    Consent.objects.create(
        job_seeker=merged,
        purpose=ConsentPurpose.REGISTRATION,
        text=consent_text,
        given_at=now - datetime.timedelta(days=30),
        withdrawn_at=now - datetime.timedelta(days=20),
    )
    merged.desired_countries.add("PL", "DE")
    survivor.desired_countries.add("PL")
    candidate = DuplicateCandidate.objects.create(
        person_a=survivor, person_b=merged, score=0.99, evidence={}
    )
    return candidate, survivor, merged


def test_merge_moves_everything_to_the_survivor(pair):
    candidate, survivor, merged = pair
    officer = UserFactory()
    account = merged.user_id
    record = duplicate_merge(
        candidate=candidate, survivor=survivor, actor=officer, personal_numbers_checked=True
    )
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert merged.status == RecordStatus.MERGED and merged.merged_into_id == survivor.pk
    assert survivor.user_id == account and merged.user_id is None
    assert survivor.passport_number == "13AB12345"
    assert survivor.email == "giorgi@example.ge"
    # The clash keeps the higher values; nothing is left on the merged record but the consent
    # its survivor also holds standing.
    assert dict(survivor.sought_occupations.values_list("occupation_id", "years_experience")) == {
        "9211": 5,
        "5120": 1,
    }
    assert dict(survivor.language_skills.values_list("language_id", "level_id")) == {
        "pl": "B1",
        "en": "B2",
    }
    assert survivor.education.count() == 1
    assert survivor.consents.filter(withdrawn_at__isnull=True).count() == 1
    assert survivor.consents.count() == 2
    assert merged.consents.count() == 1
    assert not merged.sought_occupations.exists() and not merged.language_skills.exists()
    assert sorted(survivor.desired_countries.values_list("pk", flat=True)) == ["DE", "PL"]
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.MERGED and candidate.reviewed_by == officer
    assert record.moved["fields"]["passport_number"] == ["", "13AB12345"]
    assert record.personal_numbers_checked
    for person in (survivor, merged):
        assert history_of(person).filter(payload__event="duplicate_merged").count() == 1


def test_undo_restores_exactly_the_state_before(pair):
    candidate, survivor, merged = pair
    before = (_state(survivor), _state(merged))
    record = duplicate_merge(
        candidate=candidate, survivor=survivor, actor=UserFactory(), personal_numbers_checked=True
    )
    merge_undo(record=record, actor=UserFactory())
    assert (_state(survivor), _state(merged)) == before
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN
    record.refresh_from_db()
    assert record.undone_at is not None
    with pytest.raises(DomainError):
        merge_undo(record=record, actor=UserFactory())


def test_merging_records_with_different_personal_numbers_needs_the_id_checked(pair):
    candidate, survivor, merged = pair
    with translation.override("en"), pytest.raises(ValidationError) as error:
        duplicate_merge(candidate=candidate, survivor=survivor, actor=UserFactory())
    assert error.value.message_dict["personal_numbers_checked"] == [
        str(MergeRefusal.NUMBERS_DIFFER)
    ]
    merged.refresh_from_db()
    assert merged.status == RecordStatus.ACTIVE
    assert not MergeRecord.objects.exists()


def test_a_reviewed_pair_cannot_be_merged_or_dismissed_again(pair):
    candidate, survivor, _merged = pair
    duplicate_dismiss(candidate=candidate, actor=UserFactory())
    with pytest.raises(DomainError):
        duplicate_merge(
            candidate=candidate,
            survivor=survivor,
            actor=UserFactory(),
            personal_numbers_checked=True,
        )
    with pytest.raises(DomainError):
        duplicate_dismiss(candidate=candidate, actor=UserFactory())


def test_the_survivor_must_belong_to_the_pair():
    candidate = DuplicateCandidateFactory()
    with pytest.raises(DomainError):
        duplicate_merge(
            candidate=candidate,
            survivor=JobSeekerFactory(),
            actor=UserFactory(),
            personal_numbers_checked=True,
        )


def test_consents_do_not_break_the_one_standing_per_purpose_rule(pair):
    candidate, survivor, _merged = pair
    duplicate_merge(
        candidate=candidate, survivor=survivor, actor=UserFactory(), personal_numbers_checked=True
    )
    standing = Consent.objects.filter(job_seeker=survivor, withdrawn_at__isnull=True)
    assert standing.count() == 1


def test_every_relation_of_a_job_seeker_is_handled_by_the_merge():
    """A new model pointing at JobSeeker must say whether a merge moves it (merge.py)."""
    related = {rel.related_model._meta.label_lower for rel in JobSeeker._meta.related_objects}
    unhandled = related - HANDLED_RELATIONS - STAYING_RELATIONS
    assert not unhandled, f"merge.py does not handle: {sorted(unhandled)}"
