"""The vacancy screens: the scoped list, the vacancy page with its moves and minimum-wage
comparison, the draft form with its language requirements, per role and in both languages."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from gza.core.models import User
from gza.demand.demo import demand_demo_load
from gza.demand.enums import VacancyStatus
from gza.demand.models import Vacancy
from gza.demand.vacancies import published_vacancies, vacancy_save
from gza.partners.enums import AgreementStatus
from gza.partners.models import AgreementQuota, CountryIndicator
from gza.taxonomy.models import EscoSkill
from tests.core.factories import UserFactory
from tests.demand.factories import ForeignEmployerFactory, VacancyFactory
from tests.demand.test_vacancy_lifecycle import (
    CEFR,
    days,
    draft,
    employer_user,
    minimum_wage,
    nothing_stored,
    polish,
    walk,
)
from tests.partners.factories import AgreementFactory, PartnerCountryFactory

pytestmark = pytest.mark.django_db

# With ATOMIC_REQUESTS (PostgreSQL) each request is a savepoint inside the test transaction.
REQUEST_SAVEPOINT = 2 if connection.settings_dict["ATOMIC_REQUESTS"] else 0
NO_LANGUAGES = {
    "languages-TOTAL_FORMS": "3",
    "languages-INITIAL_FORMS": "0",
    "languages-MIN_NUM_FORMS": "0",
    "languages-MAX_NUM_FORMS": "12",
}


def _en(name: str, *args) -> str:
    return "/en" + reverse(name, args=args)[3:]


def form_data(**fields) -> dict:
    """What the vacancy form posts for the draft() of the service tests."""
    data = {
        "country": "PL",
        "city": "Grójec",
        "occupation": "9211",
        "title_ka": "ხილის მკრეფი",
        "title_en": "Fruit picker",
        "positions": "20",
        "wage_amount": "32.00",
        "wage_currency": "PLN",
        "wage_period": "hour",
        "hours_per_week": "40",
        "application_deadline": days(30).isoformat(),
        "start_date": days(60).isoformat(),
        "experience_years": "0",
        "selection_method": "ranking",
        **NO_LANGUAGES,
        "languages-0-language": "pl",
        "languages-0-min_level": "A2",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_an_employer_posts_a_draft_submits_it_and_sees_only_its_own(client):
    user = employer_user()
    other = VacancyFactory(title_en="Someone else's vacancy")
    client.force_login(user)
    page = client.get(reverse("workspace:vacancy_create")).content.decode()
    assert 'name="occupation"' in page and 'name="employer"' not in page
    response = client.post(reverse("workspace:vacancy_create"), form_data())
    assert response.status_code == 302
    own = Vacancy.objects.get(employer__organisation=user.organisation)
    assert own.status == VacancyStatus.DRAFT and own.created_by == user
    assert list(own.languages.values_list("language", "min_level")) == [("pl", "A2")]
    listing = client.get(reverse("workspace:vacancy_list")).content.decode()
    assert "Fruit picker" not in listing  # Georgian first: the Georgian title shows
    assert "ხილის მკრეფი" in listing and "Someone else" not in listing
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(reverse("workspace:vacancy_move", args=[other.pk])).status_code == 404
    submitted = client.post(
        reverse("workspace:vacancy_move", args=[own.pk]), {"transition": "submit"}
    )
    assert submitted.status_code == 302
    own.refresh_from_db()
    assert own.status == VacancyStatus.SUBMITTED
    # A submitted vacancy is no longer edited; it is the reviewers' turn, the owner may cancel.
    assert client.get(reverse("workspace:vacancy_edit", args=[own.pk])).status_code == 403
    page = client.get(own.get_absolute_url()).content.decode()
    assert '<option value="cancel">' in page and '"verify"' not in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"occupation": "9999"}, "Unknown ISCO-08 code: 9999."),
        ({"occupation": "921"}, "ISCO-08 921 is a broader group: choose one of its 4-digit"),
        ({"languages-0-min_level": "D1"}, f"The CEFR level D1 {CEFR}"),
        ({"positions": "0"}, "A vacancy offers at least one position."),
        ({"hours_per_week": ""}, "An hourly wage needs the hours per week."),
        ({"start_date": days(10).isoformat()}, "before applications close"),
        (
            {"languages-1-language": "pl", "languages-1-min_level": "B2"},
            "Each language is required once: pl is named twice.",
        ),
        ({"wage_amount": "20.00"}, "is below the statutory minimum wage in Poland"),
    ],
)  # fmt: skip
def test_the_form_shows_each_refusal_in_the_page_language_and_stores_nothing(
    client, fields, message
):
    minimum_wage(value="4666")
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    client.force_login(UserFactory())
    data = form_data(employer=str(employer.pk), **fields)
    response = client.post(_en("workspace:vacancy_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert nothing_stored()


def test_an_embassy_meets_a_404_for_another_countrys_vacancy(client):
    client.force_login(UserFactory(embassy_officer=True))
    polish_vacancy = VacancyFactory()
    for name in ["workspace:vacancy_detail", "workspace:vacancy_edit"]:
        assert client.get(reverse(name, args=[polish_vacancy.pk])).status_code == 404
    move = client.post(
        reverse("workspace:vacancy_move", args=[polish_vacancy.pk]), {"transition": "submit"}
    )
    assert move.status_code == 404
    polish_vacancy.refresh_from_db()
    assert polish_vacancy.status == VacancyStatus.DRAFT
    assert "ხილის მკრეფი" not in client.get(reverse("workspace:vacancy_list")).content.decode()


def test_the_embassy_verifies_and_the_ministry_publishes_from_the_page(client):
    employer = ForeignEmployerFactory(verified=True)
    vacancy = walk(_saved_french(employer), "submit")
    embassy = UserFactory(embassy_officer=True)
    client.force_login(embassy)
    page = client.get(_en("workspace:vacancy_detail", vacancy.pk)).content.decode()
    assert '<option value="verify">' in page and '<option value="publish">' not in page
    url = _en("workspace:vacancy_move", vacancy.pk)
    assert client.post(url, {"transition": "verify"}).status_code == 302
    # Publishing is the ministry's: the embassy has no move left to make.
    assert client.post(url, {"transition": "publish"}).status_code == 403
    client.force_login(UserFactory())
    assert client.post(url, {"transition": "publish"}).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED
    page = client.get(_en("workspace:vacancy_detail", vacancy.pk)).content.decode()
    assert "Verified → published" in page and embassy.full_name in page


def _saved_french(employer, **fields) -> Vacancy:
    return vacancy_save(
        actor=UserFactory(),
        vacancy=draft(
            employer=employer, country_id="FR", city="Angers", wage_currency="EUR", **fields
        ),
        languages=[],
    )


def test_a_refused_move_is_explained_on_the_page(client):
    pending = ForeignEmployerFactory(name="Ferme en attente")
    vacancy = walk(_saved_french(pending), "submit", "verify")
    client.force_login(UserFactory())
    response = client.post(_en("workspace:vacancy_move", vacancy.pk), {"transition": "publish"})
    assert response.status_code == 200
    assert "The employer Ferme en attente is not verified" in response.content.decode()
    cancel = client.post(_en("workspace:vacancy_move", vacancy.pk), {"transition": "cancel"})
    assert "this move needs a reason" in cancel.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.VERIFIED


def test_a_caseworker_reads_a_vacancy_but_may_not_move_it(client):
    client.force_login(UserFactory(iom_caseworker=True))
    vacancy = VacancyFactory()
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "ხილის მკრეფი" in page and "/status/" not in page
    move = client.post(
        reverse("workspace:vacancy_move", args=[vacancy.pk]), {"transition": "submit"}
    )
    assert move.status_code == 403


def test_the_page_compares_the_wage_with_the_minimum_wage(client):
    client.force_login(UserFactory())
    minimum_wage(value="4666")
    vacancy = VacancyFactory(hours_per_week=40, wage_amount=Decimal("32"))
    page = client.get(_en("workspace:vacancy_detail", vacancy.pk)).content.decode()
    assert "The wage is at or above the minimum wage." in page
    # 4,666 a month is 26.92 an hour at 40 hours a week.
    assert "PLN26.92 per hour in the vacancy" in page
    CountryIndicator.objects.all().update(currency="EUR")
    page = client.get(_en("workspace:vacancy_detail", vacancy.pk)).content.decode()
    assert "Warning: the wage cannot be compared with the minimum wage" in page
    assert "recorded in EUR and the wage is paid in PLN" in page


def test_the_list_filters_and_costs_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.force_login(UserFactory())
    VacancyFactory(title_ka="პირველი ვაკანსია")
    french = ForeignEmployerFactory(verified=True)
    VacancyFactory(
        employer=french, country_id="FR", title_ka="მეორე ვაკანსია", status=VacancyStatus.PUBLISHED
    )
    url = reverse("workspace:vacancy_list")
    assert "პირველი ვაკანსია" not in client.get(url, {"country": "FR"}).content.decode()
    assert "მეორე ვაკანსია" not in client.get(url, {"status": "draft"}).content.decode()
    client.get(url)  # warm up: content types, session
    # session, user, TOTP devices, count, organisation, page, countries for the filter, and the
    # session renewal (savepoint, update, release): the same however many vacancies there are.
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)
    VacancyFactory.create_batch(10)
    with django_assert_num_queries(10 + REQUEST_SAVEPOINT):
        client.get(url)


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_screens_render_in_both_languages(client, language):
    client.force_login(UserFactory())
    minimum_wage()
    vacancy = walk(_saved_french(ForeignEmployerFactory(verified=True)), "submit")
    editable = VacancyFactory(hours_per_week=40)
    pages = [
        reverse("workspace:vacancy_list"),
        vacancy.get_absolute_url(),
        editable.get_absolute_url(),
        reverse("workspace:vacancy_create"),
        reverse("workspace:vacancy_edit", args=[editable.pk]),
    ]
    for url in pages:
        response = client.get(f"/{language}{url[3:]}")
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


def test_the_agreement_page_shows_how_much_of_each_quota_is_used(client):
    pilot = AgreementFactory(
        partner=PartnerCountryFactory(country_id="PL"), status=AgreementStatus.IN_FORCE
    )
    AgreementQuota.objects.create(agreement=pilot, year=days(60).year, places=50)
    walk(_saved_polish(agreement=pilot, positions=12), "submit", "verify", "publish")
    client.force_login(UserFactory())
    page = client.get(_en("workspace:agreement_detail", pilot.pk)).content.decode()
    # Offered in published vacancies, and used by placements (none yet).
    assert '<th scope="col" class="num">Offered in vacancies</th>' in page
    assert '<td class="num">50</td><td class="num">12</td><td class="num">0 / 50</td>' in page


def _saved_polish(**fields) -> Vacancy:
    return vacancy_save(actor=UserFactory(), vacancy=draft(**fields), languages=polish())


def test_the_demo_publishes_vacancies_and_shows_the_workflow(client):
    call_command("load_demo", job_seekers=0, stdout=StringIO())
    count = Vacancy.objects.count()
    demand_demo_load()  # a second run adds nothing
    assert Vacancy.objects.count() == count == 10
    assert len(published_vacancies(country="PL")) == 6
    assert {v.occupation_id for v in published_vacancies(country="FR")} == {"6112", "9211"}
    assert all(v.agreement for v in published_vacancies())
    statuses = Vacancy.objects.values_list("status", flat=True)
    assert sorted(set(statuses)) == ["draft", "published", "submitted"]
    for code in ["PL", "FR"]:
        (indicator,) = CountryIndicator.objects.filter(country_id=code, kind="minimum_wage")
        assert "Demo value" in indicator.source
    employer = User.objects.get(email="employer@demo.gza.ge")
    client.force_login(employer)
    listing = client.get(_en("workspace:vacancy_list")).content.decode()
    assert "Tractor driver" in listing and "Bricklayer" not in listing
    agency = User.objects.get(email="agency@demo.gza.ge")
    (order,) = Vacancy.objects.visible_to(agency)
    assert order.status == VacancyStatus.SUBMITTED and order.title_en == "Hand packer"
    client.force_login(User.objects.get(email="ministry@demo.gza.ge"))
    assert client.get(_en("workspace:vacancy_detail", order.pk)).status_code == 200


def test_skills_typed_one_per_line_are_saved_shown_and_prefilled(client):
    first, second = EscoSkill.objects.order_by("pk")[:2]
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    client.force_login(UserFactory())
    lines = f"{first.uri}\n\n  {second.label_en.upper()}  \n{first.uri.rsplit('/', 1)[-1]}"
    response = client.post(
        reverse("workspace:vacancy_create"),
        form_data(employer=str(employer.pk), skills=lines),
    )
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert set(vacancy.skills.all()) == {first, second}
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert escape(first.label_en) in page and escape(second.label_en) in page
    edit = client.get(reverse("workspace:vacancy_edit", args=[vacancy.pk])).content.decode()
    assert escape(first.label_en) in edit.split('name="skills"')[1].split("</textarea>")[0]
    # The unit group's essential skills are offered as a hint.
    hints = EscoSkill.objects.filter(
        occupation_links__occupation__isco_id="9211", occupation_links__relation="essential"
    )
    if hints.exists():
        assert escape(hints.first().label_en) in edit


def test_an_unknown_skill_line_is_refused_by_its_text_and_nothing_is_stored(client):
    skill = EscoSkill.objects.order_by("pk").first()
    employer = ForeignEmployerFactory(verified=True, in_poland=True)
    client.force_login(UserFactory())
    data = form_data(employer=str(employer.pk), skills=f"{skill.uri}\nfruit juggling")
    response = client.post(_en("workspace:vacancy_create"), data)
    assert response.status_code == 200
    assert "Unknown ESCO skill: fruit juggling." in response.content.decode()
    assert nothing_stored()


def test_find_the_code_suggests_from_the_title_and_the_choice_is_saved(client):
    user = employer_user()
    client.force_login(user)
    typed = form_data(occupation="", title_ka="შემდუღებელი", suggest="")
    page = client.post(reverse("workspace:vacancy_create"), typed)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="occupation_choice" value="7212"' in html
    assert "შემდუღებელი" in html
    assert not Vacancy.objects.exists()  # finding a code is not a submission
    chosen = form_data(occupation="", title_ka="შემდუღებელი", occupation_choice="7212")
    assert client.post(reverse("workspace:vacancy_create"), chosen).status_code == 302
    assert Vacancy.objects.get().occupation_id == "7212"


def test_find_the_code_with_no_words_says_so_in_english(client):
    client.force_login(employer_user())
    data = form_data(occupation="", title_ka="", title_en="😀", suggest="")
    html = client.post(_en("workspace:vacancy_create"), data).content.decode()
    assert "No ISCO-08 code matches these words" in html
