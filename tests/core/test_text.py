from django.contrib.admin.utils import label_for_field
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from gza.core.models import Organisation
from gza.core.text import capfirst, romanise, slugify

GEORGIAN_LETTERS = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"


def test_capfirst_leaves_georgian_alone_and_capitalises_latin():
    assert capfirst("მენეჯერები") == "მენეჯერები"
    assert capfirst("managers") == "Managers"
    assert capfirst("") == ""


def test_djangos_capfirst_is_replaced_in_templates_and_the_admin():
    rendered = Template("{{ word|capfirst }}").render(Context({"word": "მზარეული"}))
    assert rendered == "მზარეული"
    from django.utils import translation

    with translation.override("ka"):
        # The admin labels fields with capfirst(verbose_name).
        label = str(label_for_field("name_ka", Organisation))
    assert not any(0x1C90 <= ord(c) <= 0x1CBF for c in label)


def test_slugs_keep_georgian_letters():
    assert slugify("შრომითი მიგრაცია 2026") == "შრომითი-მიგრაცია-2026"


def test_romanise_uses_the_national_system():
    assert romanise("ჭიათურა") == "chiatura"
    assert romanise("ყვარელი") == "qvareli"
    assert romanise("წყალტუბო", apostrophes=True) == "ts'q'alt'ubo"


@given(st.text(alphabet=GEORGIAN_LETTERS + " -", max_size=40))
def test_romanised_georgian_is_plain_ascii(text):
    assert romanise(text).isascii()


@given(st.text(max_size=30))
def test_capfirst_changes_at_most_the_first_character(text):
    assert capfirst(text).endswith(text[1:])
