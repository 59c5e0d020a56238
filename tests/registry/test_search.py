import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gza.registry.models import NameKey, NameKeyVariant
from gza.registry.name_index import index_names, rebuild_name_index
from gza.registry.names import deletions, edit_distance, name_key, romanise
from gza.registry.search import (
    INVALID_REGISTRATION_NUMBER,
    MatchKind,
    employer_view,
    job_seekers_search,
)
from tests.core.factories import UserFactory
from tests.registry.factories import (
    JobSeekerFactory,
    LanguageSkillFactory,
    SoughtOccupationFactory,
)

pytestmark = pytest.mark.django_db


def _search(q: str = "", **filters) -> list:
    officer = UserFactory()
    return list(job_seekers_search(user=officer, q=q, **filters).hits)


def _people(q: str = "", **filters) -> list:
    return [hit.person for hit in _search(q, **filters)]


@pytest.fixture
def tskhvediani():
    JobSeekerFactory(first_name="გიორგი", last_name="ბერიძე", last_name_latin="Beridze")
    return JobSeekerFactory(
        first_name="ნინო",
        last_name="ცხვედიანი",
        first_name_latin="Nino",
        last_name_latin="Tskhvediani",
    )


@pytest.mark.parametrize(
    "query",
    [
        "ცხვედიანი",
        "Tskhvediani",
        "Tsxvediani",
        "Цхведиани",
        "TSKHVEDIANI",
        "Nino Tskhvediani",
        "Tskhvediani Nino",
        "Нино Цхведиани",
    ],
)
def test_a_name_in_any_script_finds_the_person(tskhvediani, query):
    people = _people(query)
    assert people[0] == tskhvediani
    assert len(people) == 1


@pytest.mark.parametrize(
    "query",
    ["Tskhvedani", "Tskhvediamni", "Tskhvediain", "ცხვედინი", "ცხვედიანო", "Nino Txkhvediani"],
)
def test_one_typo_still_finds_the_person_as_a_near_spelling(tskhvediani, query):
    hits = _search(query)
    assert hits[0].person == tskhvediani
    assert hits[0].match == MatchKind.NEAR


def test_an_exact_spelling_is_labelled_exact(tskhvediani):
    (hit,) = _search("Nino Tskhvediani")
    assert hit.match == MatchKind.EXACT


def test_a_registration_number_finds_exactly_that_person(tskhvediani):
    (hit,) = _search(tskhvediani.registration_number)
    assert hit.person == tskhvediani and hit.match == MatchKind.NUMBER


def test_a_registration_number_with_a_wrong_check_digit_is_refused(tskhvediani):
    number = tskhvediani.registration_number
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    with pytest.raises(ValidationError) as caught:
        _search(wrong)
    assert caught.value.messages == [str(INVALID_REGISTRATION_NUMBER)]


def test_a_personal_number_finds_the_person_even_with_spaces():
    person = JobSeekerFactory(personal_number="01024057788")
    JobSeekerFactory()
    assert _people("010 2405 7788") == [person]


def test_digits_of_no_known_length_are_refused():
    with pytest.raises(ValidationError):
        _search("12345")


def test_both_names_rank_before_the_surname_alone_and_exact_before_near():
    both = JobSeekerFactory(first_name="ნინო", last_name="ბერიძე")
    near_both = JobSeekerFactory(first_name="ნინა", last_name="ბერიძე")
    surname_only = JobSeekerFactory(first_name="თამარი", last_name="ბერიძე")
    first_only = JobSeekerFactory(first_name="ნინო", last_name="აბაშიძე")
    hits = _search("Nino Beridze")
    assert [hit.person for hit in hits] == [both, near_both, surname_only]
    assert [hit.match for hit in hits] == [MatchKind.EXACT, MatchKind.NEAR, MatchKind.PARTIAL]
    # A first name alone is not worth listing beside a surname, but alone it finds people,
    # the exact spelling first.
    assert _people("Nino") == [both, first_only, near_both]


def test_the_spelling_typed_comes_before_other_spellings_of_the_same_key():
    kipiani = JobSeekerFactory(last_name="ყიფიანი", last_name_latin="Kipiani")
    qipiani = JobSeekerFactory(last_name="ყიფიანი", last_name_latin="Qipiani")
    assert _people("Qipiani") == [qipiani, kipiani]
    assert _people("Kipiani") == [kipiani, qipiani]


def test_filters_narrow_by_occupation_region_and_language_level():
    welder = JobSeekerFactory(last_name="ბერიძე", from_batumi=True)
    SoughtOccupationFactory(job_seeker=welder, occupation_id="7212")
    LanguageSkillFactory(job_seeker=welder, language_id="de", level_id="B1")
    farmer = JobSeekerFactory(last_name="ბერიძე")
    SoughtOccupationFactory(job_seeker=farmer, occupation_id="9211")
    LanguageSkillFactory(job_seeker=farmer, language_id="de", level_id="A2")
    assert _people("Beridze", occupation="7212") == [welder]
    assert _people("Beridze", occupation="72") == [welder]  # a broader group
    assert _people(occupation="9211") == [farmer]
    assert _people(region="GE-AJ") == [welder]
    assert set(_people(language="de")) == {welder, farmer}
    assert _people(language="de", level="B1") == [welder]
    assert _people(language="de", level="B2") == []


def test_a_person_with_two_occupations_appears_once():
    person = JobSeekerFactory()
    SoughtOccupationFactory(job_seeker=person, occupation_id="9211")
    SoughtOccupationFactory(job_seeker=person, occupation_id="9212")
    assert _people(occupation="92") == [person]


def test_merged_records_are_left_out_of_results(tskhvediani):
    survivor = JobSeekerFactory(first_name="ნინო", last_name="ცხვედიანი")
    type(tskhvediani).objects.filter(pk=tskhvediani.pk).update(
        status="merged", merged_into=survivor
    )
    assert _people("Tskhvediani") == [survivor]


def test_the_search_stays_in_the_users_scope(tskhvediani):
    caseworker = UserFactory(iom_caseworker=True)
    own = JobSeekerFactory(
        last_name="ცხვედიანი", registered_by_organisation=caseworker.organisation
    )
    hits = job_seekers_search(user=caseworker, q="Tskhvediani").hits
    assert [hit.person for hit in hits] == [own]
    analyst = UserFactory(role="analyst")
    assert list(job_seekers_search(user=analyst, q="Tskhvediani").hits) == []


def test_a_search_costs_a_fixed_number_of_queries(django_assert_max_num_queries):
    JobSeekerFactory.create_batch(30, last_name="ბერიძე")
    officer = UserFactory()
    # variants, both names, one name to fill, the people shown
    with django_assert_max_num_queries(4):
        list(job_seekers_search(user=officer, q="Nino Beridze").hits[:50])


def test_creating_a_person_adds_their_names_to_the_dictionary():
    JobSeekerFactory(first_name="ნინო", last_name="ცხვედიანი")
    assert set(NameKey.objects.values_list("key", flat=True)) >= {"nino", "cxvediani"}
    variants = set(NameKeyVariant.objects.filter(key="nino").values_list("variant", flat=True))
    assert variants == {"nino", "ino", "nno", "nio", "nin"}


def test_a_renamed_person_is_found_under_the_new_name():
    person = JobSeekerFactory(first_name="ნინო", last_name="ცხვედიანი")
    person.last_name = "ჩიქოვანი"
    person.save()
    assert NameKey.objects.filter(key="cikovani").exists()
    assert _people("Chikovanni") == [person]
    assert _people("Tskhvediani") == []


def test_rebuilding_the_dictionary_drops_names_no_one_has(capsys):
    person = JobSeekerFactory(first_name="ნინო", last_name="ცხვედიანი")
    person.last_name = "ჩიქოვანი"
    person.save()
    call_command("rebuild_name_index")
    assert "distinct name keys" in capsys.readouterr().out
    assert not NameKey.objects.filter(key="cxvediani").exists()
    assert NameKey.objects.filter(key="cikovani").exists()
    assert rebuild_name_index() == NameKey.objects.count()


def test_index_names_adds_only_new_keys_and_ignores_blanks():
    assert index_names(["beridze", "", "beridze"]) == 1
    assert index_names(["beridze", "abashidze"]) == 1


def test_people_loaded_without_the_dictionary_are_still_found_by_exact_key(tskhvediani):
    NameKeyVariant.objects.all().delete()
    NameKey.objects.all().delete()
    assert _people("Tskhvediani") == [tskhvediani]


def test_keys_meet_across_scripts_and_spellings():
    assert {name_key(n) for n in ["ჯაფარიძე", "Djaparidze", "Dzhaparidze", "Джапаридзе"]} == {
        "japarize"
    }
    assert name_key("Шенгелия") == name_key("შენგელია")
    assert name_key("ᲪᲮᲕᲔᲓᲘᲐᲜᲘ") == name_key("ცხვედიანი")


def test_a_mistyped_georgian_letter_is_one_edit_of_the_key():
    # Georgian letters map straight to key letters, so no typo there costs two edits.
    assert edit_distance(name_key("გოგიშვილი"), name_key("გოგიშვიი")) == 1
    assert edit_distance(name_key("ანდიძე"), name_key("ანდჯძე")) == 1


def test_deletions_and_edit_distance_agree():
    assert deletions("abc") == {"abc", "ab", "ac", "bc"}
    assert edit_distance("cxvediani", "cxvedaini") == 1  # two neighbours swapped
    assert edit_distance("cxvediani", "ckjvediani") == 2
    assert edit_distance("abc", "xyz", limit=2) == 2


LATIN_SURNAMES = ["Tskhvediani", "Beridze", "Kapanadze", "Chikovani", "Gelashvili", "Abashidze"]


@pytest.fixture
def registry():
    """A small registry with neighbouring surnames a letter apart, to make the ranking work.
    Hypothesis runs every example against the same rows (built once per test)."""
    georgian = ["ცხვედიანი", "ბერიძე", "კაპანაძე", "ჩიქოვანი", "გელაშვილი", "აბაშიძე"]
    people = {}
    for last in georgian:
        people[romanise(last)] = JobSeekerFactory(last_name=last, last_name_latin=romanise(last))
        JobSeekerFactory(last_name=last[:-1] + "ა")
        JobSeekerFactory(last_name="ა" + last[1:])
    return people, UserFactory()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    surname=st.sampled_from(LATIN_SURNAMES),
    position=st.integers(min_value=0, max_value=20),
    operation=st.sampled_from(["delete", "substitute"]),
    letter=st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
)
def test_any_single_deletion_or_substitution_of_a_latin_surname_finds_the_person(
    registry, surname, position, operation, letter
):
    people, officer = registry
    i = position % len(surname)
    typed = surname[:i] + ("" if operation == "delete" else letter) + surname[i + 1 :]
    hits = job_seekers_search(user=officer, q=typed).hits[:10]
    assert people[surname] in [hit.person for hit in hits]


def test_the_employer_view_leaves_out_identity_and_contacts():
    person = JobSeekerFactory(
        personal_number="01024057788",
        phone="+995555123456",
        email="nino@example.ge",
        passport_number="12AB34567",
    )
    SoughtOccupationFactory(job_seeker=person)
    view = employer_view(person)
    assert view["occupations"] == [{"occupation": "9211", "years_experience": 2}]
    for field in ("personal_number", "phone", "email", "passport_number", "birth_date", "sex"):
        assert field not in view
    text = repr(view)
    for value in ("01024057788", "+995555123456", "nino@example.ge", "12AB34567"):
        assert value not in text
