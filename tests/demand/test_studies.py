import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gza.core.enums import AuditVerb, OrganisationKind, Role
from gza.core.errors import DomainError
from gza.core.models import AuditEvent
from gza.demand.models import InDemandLanguage, InDemandOccupation, LabourMarketStudy
from gza.demand.studies import (
    in_demand_remove,
    in_demand_save,
    studies_editable_by,
    studies_visible_to,
    study_creation_allowed,
    study_save,
)
from tests.core.factories import OrganisationFactory, UserFactory
from tests.demand.factories import (
    InDemandLanguageFactory,
    InDemandOccupationFactory,
    LabourMarketStudyFactory,
)

pytestmark = pytest.mark.django_db
NOT_PERMITTED = re.escape(str(DomainError.NOT_PERMITTED))


def _study(**values) -> LabourMarketStudy:
    return LabourMarketStudy(
        **{
            "country_id": "FR",
            "title_ka": "საფრანგეთის შრომის ბაზარი",
            "title_en": "France's labour market",
            "period_start": datetime.date(2024, 1, 1),
            "period_end": datetime.date(2024, 12, 31),
            **values,
        }
    )


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}


def _save(study: LabourMarketStudy, actor=None, **values) -> InDemandOccupation:
    arguments = {"occupation": "9211", "estimated_demand": 10, **values}
    return in_demand_save(actor=actor or UserFactory(), study=study, **arguments)


# Who reads and who edits


def test_the_ministry_caseworkers_and_analysts_read_every_study_an_embassy_its_own_country():
    french, polish = LabourMarketStudyFactory(), LabourMarketStudyFactory(in_poland=True)
    for user in [
        UserFactory(),
        UserFactory(iom_caseworker=True),
        UserFactory(role=Role.ANALYST),
    ]:
        assert set(studies_visible_to(user)) == {french, polish}
    assert list(studies_visible_to(UserFactory(embassy_officer=True))) == [french]
    for role in [Role.EMPLOYER, Role.AGENCY, Role.JOB_SEEKER, Role.CONTENT_EDITOR, Role.NONE]:
        assert not studies_visible_to(UserFactory(role=role)).exists()
    assert not studies_visible_to(UserFactory(is_active=False)).exists()


def test_editors_are_the_ministry_the_countrys_embassy_and_the_authors_caseworkers():
    iom = OrganisationFactory(iom_office=True)
    field_office = OrganisationFactory(iom_office=True, parent=iom)
    by_iom = LabourMarketStudyFactory(author_organisation=iom)
    polish = LabourMarketStudyFactory(in_poland=True)
    assert set(studies_editable_by(UserFactory())) == {by_iom, polish}
    assert list(studies_editable_by(UserFactory(embassy_officer=True))) == [by_iom]
    # The author's caseworkers, and those of its field offices.
    for organisation in (iom, field_office):
        caseworker = UserFactory(role=Role.CASEWORKER, organisation=organisation)
        assert list(studies_editable_by(caseworker)) == [by_iom]
    other_ngo = UserFactory(iom_caseworker=True)
    assert not studies_editable_by(other_ngo).exists()
    assert not studies_editable_by(UserFactory(role=Role.ANALYST)).exists()


def test_who_may_record_a_new_study():
    assert study_creation_allowed(UserFactory())
    assert study_creation_allowed(UserFactory(embassy_officer=True))
    assert study_creation_allowed(UserFactory(iom_caseworker=True))
    # A caseworker of the state agency does not write studies; analysts only read them.
    assert not study_creation_allowed(UserFactory(role=Role.CASEWORKER))
    assert not study_creation_allowed(UserFactory(role=Role.ANALYST))
    assert not study_creation_allowed(UserFactory(role=Role.EMPLOYER))


# Studies


def test_the_ministry_records_a_study_and_the_trail_keeps_it():
    officer = UserFactory()
    study = study_save(actor=officer, study=_study(method="Employer survey"))
    assert study.pk and study.created_by == officer
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED)
    assert event.payload == {"country": "FR"}
    study.method = "Employer survey and desk research"
    study_save(actor=officer, study=study)
    change = AuditEvent.objects.get(verb=AuditVerb.UPDATED)
    assert change.payload["changes"]["method"][1] == "Employer survey and desk research"
    # Saving again with nothing changed records nothing.
    study_save(actor=officer, study=study)
    assert AuditEvent.objects.filter(verb=AuditVerb.UPDATED).count() == 1


def test_a_study_cannot_end_before_it_starts(english):
    with pytest.raises(ValidationError) as caught:
        study_save(actor=UserFactory(), study=_study(period_end=datetime.date(2023, 12, 31)))
    assert _messages(caught.value)["period_end"] == [
        "A study's period cannot end before it starts."
    ]
    assert not LabourMarketStudy.objects.exists()


def test_an_embassy_records_studies_of_its_own_country_only():
    embassy = UserFactory(embassy_officer=True)
    assert study_save(actor=embassy, study=_study()).pk
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        study_save(actor=embassy, study=_study(country_id="PL"))
    own = LabourMarketStudyFactory()
    own.country_id = "PL"  # moving its study away is refused too
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        study_save(actor=embassy, study=own)
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        study_save(actor=embassy, study=LabourMarketStudyFactory(in_poland=True))


def test_a_caseworkers_study_is_authored_by_their_organisation_and_stays_so():
    caseworker = UserFactory(iom_caseworker=True)
    study = study_save(actor=caseworker, study=_study(country_id="PL"))
    assert study.author_organisation == caseworker.organisation
    study.author_organisation = OrganisationFactory(iom_office=True)
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        study_save(actor=caseworker, study=study)
    with pytest.raises(DomainError, match=NOT_PERMITTED):
        study_save(actor=UserFactory(role=Role.CASEWORKER), study=_study())


def test_analysts_and_employers_record_no_study():
    for user in [UserFactory(role=Role.ANALYST), UserFactory(role=Role.EMPLOYER)]:
        with pytest.raises(DomainError, match=NOT_PERMITTED):
            study_save(actor=user, study=_study())
        with pytest.raises(DomainError, match=NOT_PERMITTED):
            study_save(actor=user, study=LabourMarketStudyFactory())


# In-demand occupations


def test_an_in_demand_occupation_is_saved_with_its_languages_and_audited():
    study = LabourMarketStudyFactory(in_poland=True)
    row = _save(
        study,
        occupation="7212",
        estimated_demand=90,
        wage_min=Decimal("4000"),
        wage_max=Decimal("6000"),
        wage_currency="pln",
        wage_period="month",
        qualifications=" MIG/MAG welding ",
        languages=[("pl", "a2"), ("EN", "B1")],
    )
    assert (row.occupation_id, row.wage_currency, row.qualifications) == (
        "7212",
        "PLN",
        "MIG/MAG welding",
    )
    assert {(r.language_id, r.min_level_id) for r in row.languages.all()} == {
        ("pl", "A2"),
        ("en", "B1"),
    }
    event = AuditEvent.objects.get(verb=AuditVerb.CREATED, target_id=str(row.pk))
    assert event.payload["languages"] == "en:B1, pl:A2"
    assert event.payload["occupation"] == "7212"


@pytest.mark.parametrize("code", ["9999", "92", "9", "abcd", "92111"])
def test_unknown_or_non_unit_isco_codes_are_refused(english, code):
    with pytest.raises(ValidationError) as caught:
        _save(LabourMarketStudyFactory(), occupation=code)
    assert _messages(caught.value)["occupation"] == [f"Unknown ISCO-08 unit group: {code}."]
    assert not InDemandOccupation.objects.exists()


@pytest.mark.parametrize("level", ["A0", "C3", "D1", "native"])
def test_cefr_levels_outside_a1_to_c2_are_refused(english, level):
    with pytest.raises(ValidationError) as caught:
        _save(LabourMarketStudyFactory(), languages=[("pl", level)])
    assert _messages(caught.value)["languages"] == [
        f"A CEFR level is one of A1, A2, B1, B2, C1 or C2, not {level.upper()}."
    ]
    assert not InDemandOccupation.objects.exists()


def test_a_language_without_its_level_is_refused(english):
    with pytest.raises(ValidationError) as caught:
        _save(LabourMarketStudyFactory(), languages=[("pl", " ")])
    assert _messages(caught.value)["languages"] == ["Give the minimum CEFR level required in pl."]


def test_unknown_and_repeated_languages_are_refused(english):
    with pytest.raises(ValidationError) as caught:
        _save(LabourMarketStudyFactory(), languages=[("xx", "A1"), ("pl", "A1"), ("pl", "B1")])
    assert _messages(caught.value)["languages"] == [
        "Unknown language: xx.",
        "The language pl is required twice: name each language once.",
    ]
    assert not InDemandLanguage.objects.exists()


@pytest.mark.parametrize("demand", [0, -3, None])
def test_the_estimated_demand_is_at_least_one(english, demand):
    with pytest.raises(ValidationError) as caught:
        _save(LabourMarketStudyFactory(), estimated_demand=demand)
    assert _messages(caught.value) == {"estimated_demand": ["The estimated demand is at least 1."]}


def test_wage_rules(english):
    study = LabourMarketStudyFactory()
    terms = {"wage_currency": "PLN", "wage_period": "hour"}
    cases = [
        ({"wage_min": Decimal(18), "wage_max": Decimal(15), **terms}, "wage_max"),
        ({"wage_min": Decimal(0), **terms}, "wage_min"),
        ({"wage_max": Decimal(-5), **terms}, "wage_max"),
        ({"wage_min": Decimal(15)}, "wage_currency"),
        ({"wage_min": Decimal(15), "wage_currency": "PLN"}, "wage_currency"),
    ]
    expected = {
        "wage_max": {
            "The upper wage cannot be below the lower one.",
            "A wage is above zero.",
        },
        "wage_min": {"A wage is above zero."},
        "wage_currency": {"A wage needs its currency and period."},
    }
    for values, field in cases:
        with pytest.raises(ValidationError) as caught:
            _save(study, **values)
        (message,) = _messages(caught.value)[field]
        assert message in expected[field], values
    with pytest.raises(ValidationError) as caught:
        _save(study, wage_min=Decimal(15), wage_currency="złoty", wage_period="hour")
    assert "wage_currency" in caught.value.message_dict
    # Equal bounds are a range of one value.
    assert _save(study, wage_min=Decimal(15), wage_max=Decimal(15), **terms).pk


def test_every_mistake_is_reported_at_once(english):
    with pytest.raises(ValidationError) as caught:
        _save(
            LabourMarketStudyFactory(),
            occupation="0000",
            estimated_demand=0,
            languages=[("pl", "Z9")],
        )
    assert set(caught.value.message_dict) == {"occupation", "estimated_demand", "languages"}


def test_an_occupation_is_listed_once_per_study(english):
    study = LabourMarketStudyFactory()
    _save(study)
    with pytest.raises(ValidationError) as caught:
        _save(study)
    assert "The study already lists this occupation." in str(caught.value)
    assert _save(LabourMarketStudyFactory()).pk  # another study may list it


def test_the_same_external_reference_updates_instead_of_duplicating():
    """An import run twice leaves one row per reference, with the second run's figures, and
    records a change only when something changed."""
    study = LabourMarketStudyFactory(in_poland=True)
    first = _save(study, occupation="8160", external_ref="R-1", languages=[("pl", "A1")])
    again = _save(study, occupation="8160", external_ref="R-1", languages=[("pl", "A1")])
    assert again.pk == first.pk
    assert not AuditEvent.objects.filter(verb=AuditVerb.UPDATED).exists()
    changed = _save(
        study,
        occupation="8160",
        external_ref=" R-1 ",
        estimated_demand=120,
        languages=[("pl", "A2"), ("ru", "A2")],
    )
    assert changed.pk == first.pk and InDemandOccupation.objects.count() == 1
    assert changed.estimated_demand == 120
    assert sorted(changed.languages.values_list("language", "min_level")) == [
        ("pl", "A2"),
        ("ru", "A2"),
    ]
    event = AuditEvent.objects.get(verb=AuditVerb.UPDATED)
    assert event.payload["changes"] == {
        "estimated_demand": ["10", "120"],
        "languages": ["pl:A1", "pl:A2, ru:A2"],
    }
    # The same reference in another study is another row.
    other = _save(LabourMarketStudyFactory(), occupation="8160", external_ref="R-1")
    assert other.pk != first.pk


def test_a_failed_update_leaves_the_row_and_its_languages_as_they_were(english):
    requirement = InDemandLanguageFactory(in_demand__external_ref="R-7")
    row = requirement.in_demand
    with pytest.raises(ValidationError):
        _save(
            row.study,
            occupation="9211",
            external_ref="R-7",
            estimated_demand=55,
            languages=[("en", "B1"), ("pl", "X1")],
        )
    row.refresh_from_db()
    assert row.estimated_demand == 10
    assert list(row.languages.values_list("language", "min_level")) == [("pl", "A2")]


def test_the_edit_form_updates_the_row_it_names_and_only_in_its_study(english):
    row = InDemandOccupationFactory()
    updated = _save(row.study, in_demand=row, occupation="6111", estimated_demand=4)
    assert (updated.pk, updated.occupation_id) == (row.pk, "6111")
    with pytest.raises(ValidationError, match="belongs to another study"):
        _save(LabourMarketStudyFactory(), in_demand=row)


def test_only_editors_of_the_study_save_or_remove_its_occupations():
    row = InDemandOccupationFactory(study__in_poland=True)
    for user in [
        UserFactory(embassy_officer=True),  # France's embassy, a Polish study
        UserFactory(role=Role.ANALYST),
        UserFactory(iom_caseworker=True),
        UserFactory(role=Role.EMPLOYER),
    ]:
        with pytest.raises(DomainError, match=NOT_PERMITTED):
            _save(row.study, actor=user, occupation="7212")
        with pytest.raises(DomainError, match=NOT_PERMITTED):
            in_demand_remove(actor=user, in_demand=row)
    assert InDemandOccupation.objects.count() == 1


def test_a_caseworker_of_the_author_edits_its_list():
    iom = OrganisationFactory(kind=OrganisationKind.IOM_NGO)
    study = LabourMarketStudyFactory(in_poland=True, author_organisation=iom)
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=iom)
    row = _save(study, actor=caseworker, occupation="7115")
    in_demand_remove(actor=caseworker, in_demand=row)
    assert not study.in_demand_occupations.exists()


def test_removing_an_occupation_takes_its_languages_and_is_audited_on_the_study():
    requirement = InDemandLanguageFactory()
    row = requirement.in_demand
    officer = UserFactory()
    in_demand_remove(actor=officer, in_demand=row)
    assert not InDemandOccupation.objects.exists() and not InDemandLanguage.objects.exists()
    event = AuditEvent.objects.get(target_id=str(row.study_id), verb=AuditVerb.UPDATED)
    assert event.payload["in_demand_removed"]["occupation"] == "9211"
    assert event.payload["in_demand_removed"]["languages"] == "pl:A2"
    # A second removal (a double click) finds nothing and records nothing.
    in_demand_remove(actor=officer, in_demand=row)
    assert AuditEvent.objects.filter(verb=AuditVerb.UPDATED).count() == 1
