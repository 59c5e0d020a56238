"""Uploaded tables are read safely: UTF-8 CSV with any of three delimiters, XLSX values only;
broken encodings, formulas, macros, disguised and oversized files are refused with a clear
message; tables handed out cannot smuggle formulas."""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gza.core import tabular
from gza.core.tabular import (
    cell_text,
    csv_bytes,
    match_header,
    neutralise,
    open_table,
    xlsx_bytes,
)
from gza.core.uploads import MB
from tests.core.test_uploads import DOCX
from tests.partners.factories import PDF_BYTES


@dataclass(frozen=True)
class Col:
    name: str
    label_ka: str
    label_en: str
    required: bool = False


COLUMNS = [
    Col("country", "ქვეყანა", "Country", required=True),
    Col("name", "დასახელება", "Name", required=True),
    Col("website", "ვებგვერდი", "Website"),
]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def read(name: str, content: bytes, **limits) -> tuple[tuple[str, ...], list[tuple]]:
    with open_table(upload(name, content), **limits) as table:
        return table.header, [(line.number, line.cells) for line in table.lines()]


def refusal(name: str, content: bytes, **limits) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        read(name, content, **limits)
    return refused.value


def english(error: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(error.messages)


def workbook(*rows, formula_cell: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula_cell:
        sheet[formula_cell] = "=SUM(A1:A2)"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def repacked(content: bytes, *, extra: dict[str, bytes] | None = None, replace=None) -> bytes:
    """A workbook's ZIP with parts added or their text changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if replace and item.filename == "[Content_Types].xml":
                data = data.replace(*replace)
            target.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return buffer.getvalue()


# CSV


def test_csv_in_utf8_without_bom_is_read_with_line_numbers():
    content = "ქვეყანა,დასახელება\nPL,Sady Grójeckie\nFR,Ferme du Val\n".encode()
    header, lines = read("employers.csv", content)
    assert header == ("ქვეყანა", "დასახელება")
    assert lines == [(2, ("PL", "Sady Grójeckie")), (3, ("FR", "Ferme du Val"))]


def test_csv_utf8_with_bom_as_excel_writes_it_loses_the_mark():
    content = "\ufeffქვეყანა,დასახელება\r\nPL,Sady\r\n".encode()
    header, lines = read("employers.csv", content)
    assert header[0] == "ქვეყანა"
    assert lines == [(2, ("PL", "Sady"))]


def test_semicolon_delimited_csv_is_recognised():
    content = "Country;Name;Website\nPL;Sady, Grójec;https://sady.example\n".encode()
    header, lines = read("employers.csv", content)
    assert header == ("Country", "Name", "Website")
    assert lines == [(2, ("PL", "Sady, Grójec", "https://sady.example"))]


def test_tab_delimited_csv_is_recognised():
    header, lines = read("employers.csv", b"Country\tName\nPL\tSady\n")
    assert header == ("Country", "Name")
    assert lines == [(2, ("PL", "Sady"))]


def test_blank_lines_are_skipped_and_numbers_follow_the_file():
    content = b'Country,Name\n\nPL,"Sady\nGrojec"\n , \nFR,Ferme\n'
    _, lines = read("employers.csv", content)
    assert lines == [(3, ("PL", "Sady\nGrojec")), (6, ("FR", "Ferme"))]


def test_a_broken_encoding_is_refused_naming_the_line():
    content = b"Country,Name\nPL,Sady\n" + "FR,Ферма\n".encode("cp1251")
    error = refusal("employers.csv", content)
    assert error.code == "not_utf8"
    assert error.params == {"line": 3}
    assert "Line 3 is not valid UTF-8" in english(error)
    assert "CSV UTF-8" in english(error)


def test_utf16_text_is_refused_rather_than_guessed():
    error = refusal("employers.csv", "Country\tName\n".encode("utf-16"))
    assert error.code == "not_utf8"
    assert error.params == {"line": 1}


def test_a_nul_character_is_refused_naming_the_line():
    error = refusal("employers.csv", b"Country,Name\nPL,Sa\x00dy\n")
    assert error.code == "not_text"
    assert error.params == {"line": 2}


def test_a_file_without_a_header_is_refused():
    assert refusal("employers.csv", b"\n ,, \n").code == "no_header"


def test_a_csv_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_LINES", 3)
    error = refusal("employers.csv", b"Country\n" + b"PL\n" * 4)
    assert error.code == "too_many_lines"


# XLSX


def test_xlsx_values_are_read_as_text():
    content = workbook(
        ["Country", "Name", "Employees", "Since", "Share"],
        ["PL", "Sady", 120, datetime.date(2024, 3, 1), 0.25],
        [None, None, None, None, None],
        ["FR", "Ferme", 7.0, datetime.datetime(2024, 3, 1, 9, 30), None],
    )
    header, lines = read("employers.xlsx", content)
    assert header == ("Country", "Name", "Employees", "Since", "Share")
    assert lines == [
        (2, ("PL", "Sady", "120", "2024-03-01", "0.25")),
        (4, ("FR", "Ferme", "7", "2024-03-01 09:30:00")),
    ]


def test_an_xlsx_cell_with_a_formula_is_refused_with_its_reference():
    content = workbook(["Country", "Name"], [1, "Sady"], [2, "Ferme"], formula_cell="B3")
    error = refusal("employers.xlsx", content)
    assert error.code == "formula"
    assert error.params["cell"] == "B3"
    assert "Cell B3 holds a formula (=SUM(A1:A2))" in english(error)


def test_a_macro_enabled_workbook_is_refused():
    content = repacked(
        workbook(["Country"]),
        replace=(b"sheet.main+xml", b"sheet.macroEnabled.main+xml"),
        extra={"xl/vbaProject.bin": b"\x00" * 64},
    )
    error = refusal("employers.xlsx", content)
    assert error.code == "macros"
    assert "macros" in english(error)


def test_a_file_renamed_xlsx_that_is_not_a_workbook_is_refused():
    error = refusal("employers.xlsx", b"Country,Name\nPL,Sady\n")
    assert error.code == "type_not_allowed"
    assert "content, not its name" in english(error)


def test_a_word_document_renamed_xlsx_is_refused():
    assert refusal("employers.xlsx", DOCX).code == "type_not_allowed"


def test_a_workbook_named_csv_is_refused():
    assert refusal("employers.csv", workbook(["Country"])).code == "extension_mismatch"


def test_a_pdf_named_csv_is_refused():
    assert refusal("employers.csv", PDF_BYTES).code == "not_a_table"


def test_an_old_binary_excel_file_is_refused_with_advice():
    error = refusal("employers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert error.code == "old_excel"
    assert ".xlsx" in english(error)


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_parsed():
    content = repacked(workbook(["Country"]), extra={"xl/media/padding.bin": b"\x00" * 500_000})
    assert len(content) < 20_000
    error = refusal("employers.xlsx", content, max_bytes=20_000)
    assert error.code == "unpacked_too_large"


def test_a_workbook_longer_than_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_LINES", 3)
    error = refusal("employers.xlsx", workbook(["Country"], ["PL"], ["FR"], ["DE"], ["IT"]))
    assert error.code == "too_many_lines"


def test_a_damaged_workbook_is_refused():
    content = repacked(workbook(["Country"]), replace=(b"<Types", b"<Broken"))
    error = refusal("employers.xlsx", content)
    assert error.code == "unreadable"
    assert "damaged" in english(error)


# Both


@pytest.mark.parametrize("name", ["employers.csv", "employers.xlsx"])
def test_an_oversized_file_is_refused_naming_the_limit(settings, name):
    settings.UPLOAD_MAX_MB = 1
    error = refusal(name, b"Country\n" + b"PL\n" * (MB // 3 + 1))
    assert error.code == "too_large"
    assert "at most 1 MB" in english(error)


def test_an_empty_file_is_refused():
    assert refusal("employers.csv", b"").code == "empty"


# Header


def test_headings_match_in_either_language_or_by_name_ignoring_case_and_spaces():
    header = ("  ქვეყანა ", "NAME", "website", "")
    assert match_header(header, COLUMNS) == {0: "country", 1: "name", 2: "website"}


def test_wrong_columns_are_listed_together():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        match_header(("Country", "Employer", "Phone"), COLUMNS)
    codes = [error.code for error in refused.value.error_list]
    assert codes == ["missing_columns", "unknown_columns", "columns_hint"]
    text = english(refused.value)
    assert "Required columns are missing: “Name”." in text
    assert "These columns are not known: “Employer”, “Phone”." in text


def test_missing_columns_are_named_in_the_active_language():
    with translation.override("ka"), pytest.raises(ValidationError) as refused:
        match_header(("Country",), COLUMNS)
    assert "“დასახელება”" in refused.value.error_list[0].params["columns"]


def test_a_column_named_twice_is_refused():
    with pytest.raises(ValidationError) as refused:
        match_header(("Country", "ქვეყანა", "Name"), COLUMNS)
    assert refused.value.error_list[0].code == "repeated_columns"


# Writing


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+995 555", "'+995 555"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Sady", "Sady"),
        (None, ""),
        (7, "7"),
    ],
)
def test_cells_that_would_start_a_formula_are_neutralised(value, written):
    assert neutralise(value) == written


def test_csv_reports_carry_a_bom_and_neutralised_cells():
    content = csv_bytes([["Line", "Reason"], [2, "=1+1"]])
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["Line", "Reason"], ["2", "'=1+1"]]


def test_xlsx_written_by_gza_holds_text_only_and_reads_back():
    content = xlsx_bytes([["ქვეყანა", "=1+1"], ["PL", None]], sheet_title="იმპორტი")
    header, lines = read("template.xlsx", content)
    assert header == ("ქვეყანა", "=1+1")
    assert lines == [(2, ("PL",))]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (True, "true"), (3.0, "3"), (2.5, "2.5"), (datetime.time(9, 5), "09:05:00")],
)
def test_spreadsheet_values_become_text(value, text):
    assert cell_text(value) == text
