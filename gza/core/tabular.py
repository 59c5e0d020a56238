"""Tables people upload (CSV and XLSX) read safely into rows of strings, and tables Gza hands out
(templates, reports) written so that a spreadsheet cannot mistake a cell for a formula.

Reading:

- The type is read from the content (`gza.core.uploads`): an XLSX is a ZIP whose parts list
  declares a workbook; anything else that is not another known type is taken as CSV. A file
  renamed to .xlsx that is not one, a macro-enabled workbook and an old binary .xls are refused
  with a message that says what to do.
- CSV must be UTF-8 (with or without the byte-order mark Excel writes for "CSV UTF-8"). A byte
  that is not UTF-8 is reported with its line; no other encoding is guessed, because a wrong
  guess turns Georgian into plausible-looking nonsense that would be imported without a word.
  The delimiter is the one of `,` `;` and tab that the header line uses most.
- XLSX is read with openpyxl in read-only (streaming) mode from the first sheet, formulas kept as
  formulas: a cell that holds one is refused with its reference, since its value would be
  whatever Excel last computed, or nothing at all.
- Sizes are bounded before anything is parsed: the upload limit (GZA_UPLOAD_MAX_MB), the
  unpacked size of a workbook (a ZIP bomb stops there), the number of columns and of lines.

Every refusal is a ValidationError with a code and parameters; its message is a translatable
constant, so the person sees it in their language.
"""

import csv
import datetime
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any, Protocol

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from gza.core.uploads import (
    EMPTY,
    TOO_LARGE,
    XLSX,
    _megabytes,
    check_upload,
    detect_type,
    safe_filename,
    upload_max_bytes,
)

# A spreadsheet's unpacked parts may be this many times the upload limit: real workbooks
# compress five to ten times; a ZIP bomb is stopped before a byte of it is parsed.
UNPACKED_RATIO = 20
MAX_COLUMNS = 200
# Lines below the header, blank ones included: what one import is designed for.
MAX_LINES = 100_000
CSV_DELIMITERS = (",", ";", "\t")
# Cells starting with these are read as formulas by spreadsheets (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

NOT_UTF8 = _(
    "Line %(line)s is not valid UTF-8. Save the file as “CSV UTF-8” (in Excel: File › Save as "
    "› CSV UTF-8) and upload it again."
)
NOT_TEXT = _(
    "Line %(line)s contains a character that does not belong in a text file. Save the file as "
    "“CSV UTF-8” and upload it again."
)
BAD_CSV = _("Line %(line)s cannot be read as CSV: %(reason)s.")
NOT_A_TABLE = _(
    "This file is neither a CSV file nor an Excel workbook (.xlsx). "
    "The type is read from the file's content, not its name."
)
OLD_EXCEL = _(
    "This is an old-format Excel file (.xls). Save it as an Excel Workbook (.xlsx) or as "
    "“CSV UTF-8” and upload it again."
)
MACROS = _(
    "The workbook contains macros. Save it as an Excel Workbook (.xlsx), which has none, and "
    "upload it again."
)
UNREADABLE_WORKBOOK = _("The workbook cannot be read; it may be damaged or password-protected.")
UNPACKED_TOO_LARGE = _(
    "The workbook unpacks to more than %(limit)s MB. Split it into smaller files."
)
NO_SHEET = _("The workbook has no sheet to read.")
FORMULA = _(
    "Cell %(cell)s holds a formula (%(formula)s). Imports take values only: copy the cells and "
    "paste them as values, then upload the file again."
)
NO_HEADER = _("The file has no header row: the first line must name the columns.")
TOO_MANY_COLUMNS = _("The header has %(count)s columns; at most %(limit)s are read.")
TOO_MANY_LINES = _("The file has more than %(limit)s lines below the header. Split it.")
MISSING_COLUMNS = _("Required columns are missing: %(columns)s.")
UNKNOWN_COLUMNS = _("These columns are not known: %(columns)s.")
REPEATED_COLUMNS = _("These columns appear more than once: %(columns)s.")
COLUMNS_HINT = _("The columns are: %(columns)s. Download the template to start from.")

_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MACRO_TYPES = (b"macroEnabled", b"vnd.ms-excel.sheet.binary")


class TableColumn(Protocol):
    """What header matching needs to know of a column (gza.core.imports.Column has it)."""

    name: str
    label_ka: str
    label_en: str
    required: bool


def normalise_heading(text: str) -> str:
    """A heading as it is compared: spaces collapsed, case ignored."""
    return " ".join(str(text).split()).casefold()


def column_label(column: TableColumn, language: str | None = None) -> str:
    """The column's heading in `language` (the active one by default)."""
    language = (language or get_language() or "ka")[:2]
    return column.label_en if language == "en" else column.label_ka


def match_header(header: Sequence[str], columns: Sequence[TableColumn]) -> dict[int, str]:
    """Which column each header cell names: {position: column name}. A cell matches a column by
    its Georgian or English heading or its machine name, case and surrounding spaces ignored;
    blank cells are skipped. Missing required columns, unknown headings and a column named
    twice are refused together, in one ValidationError, so one correction fixes the file."""
    lookup: dict[str, TableColumn] = {}
    for column in columns:
        for text in (column.name, column.label_ka, column.label_en):
            lookup[normalise_heading(text)] = column
    matched: dict[int, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for position, cell in enumerate(header):
        key = normalise_heading(cell)
        if not key:
            continue
        column = lookup.get(key)
        if column is None:
            unknown.append(str(cell).strip())
        elif column.name in matched.values():
            repeated.append(column_label(column))
        else:
            matched[position] = column.name
    present = set(matched.values())
    missing = [column_label(c) for c in columns if c.required and c.name not in present]
    errors = []
    if missing:
        errors.append(
            ValidationError(
                MISSING_COLUMNS, code="missing_columns", params={"columns": _listing(missing)}
            )
        )
    if unknown:
        errors.append(
            ValidationError(
                UNKNOWN_COLUMNS, code="unknown_columns", params={"columns": _listing(unknown)}
            )
        )
    if repeated:
        errors.append(
            ValidationError(
                REPEATED_COLUMNS, code="repeated_columns", params={"columns": _listing(repeated)}
            )
        )
    if errors:
        everything = [column_label(c) for c in columns]
        errors.append(
            ValidationError(
                COLUMNS_HINT, code="columns_hint", params={"columns": _listing(everything)}
            )
        )
        raise ValidationError(errors)
    return matched


def _listing(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text an import parses: whole numbers without ".0", dates as
    ISO dates, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Line:
    """One non-blank line below the header: its number in the file (as a spreadsheet or a text
    editor shows it) and its cells, stripped."""

    number: int
    cells: tuple[str, ...]


class Table:
    """An uploaded table: its header and a way to walk its lines (as often as needed)."""

    kind: str
    header: tuple[str, ...]
    header_line: int

    def lines(self) -> Iterator[Line]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the reader holds open."""

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stripped(cells: Iterable[str]) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in cells)


def _too_many_lines() -> ValidationError:
    return ValidationError(TOO_MANY_LINES, code="too_many_lines", params={"limit": MAX_LINES})


def _check_width(width: int) -> None:
    if width > MAX_COLUMNS:
        raise ValidationError(
            TOO_MANY_COLUMNS, code="too_many_columns", params={"count": width, "limit": MAX_COLUMNS}
        )


class CsvTable(Table):
    kind = "csv"

    def __init__(self, data: bytes) -> None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise ValidationError(NOT_UTF8, code="not_utf8", params={"line": line}) from error
        if "\x00" in text:
            line = text[: text.index("\x00")].count("\n") + 1
            raise ValidationError(NOT_TEXT, code="not_text", params={"line": line})
        self.text = text
        first = next((line for line in text.splitlines() if line.strip()), "")
        if not first:
            raise ValidationError(NO_HEADER, code="no_header")
        # The header names the columns, so it holds the delimiter most; a tie goes to the comma.
        self.delimiter = max(CSV_DELIMITERS, key=first.count)
        self.header_line, self.header = next(self._records(), (0, ()))
        if not self.header_line:
            raise ValidationError(NO_HEADER, code="no_header")
        _check_width(len(self.header))

    def _records(self) -> Iterator[tuple[int, tuple[str, ...]]]:
        """Non-blank records with the line each starts on (a quoted cell may span lines)."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        start = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ValidationError(
                    BAD_CSV, code="bad_csv", params={"line": reader.line_num, "reason": error}
                ) from error
            if any(cell.strip() for cell in cells):
                yield start, _stripped(cells)
            start = reader.line_num + 1

    def lines(self) -> Iterator[Line]:
        records = self._records()
        next(records, None)  # the header
        for number, cells in records:
            if number - self.header_line > MAX_LINES:
                raise _too_many_lines()
            yield Line(number, cells)


class XlsxTable(Table):
    kind = "xlsx"

    def __init__(self, file: IO[bytes]) -> None:
        # Imported here: only imports need openpyxl, and it is not light.
        import openpyxl

        try:
            self.workbook = openpyxl.load_workbook(file, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many types for a damaged package
            raise ValidationError(UNREADABLE_WORKBOOK, code="unreadable") from error
        if not self.workbook.worksheets:
            self.close()
            raise ValidationError(NO_SHEET, code="no_sheet")
        self.sheet = self.workbook.worksheets[0]
        self.header_line, self.header = 0, ()
        try:
            for number, cells in self._rows(max_col=MAX_COLUMNS + 1, max_row=MAX_LINES):
                _check_width(len(cells))
                self.header_line, self.header = number, cells
                break
        except BaseException:
            self.close()
            raise
        if not self.header_line:
            self.close()
            raise ValidationError(NO_HEADER, code="no_header")

    def _rows(
        self, *, max_col: int, max_row: int, min_row: int = 1
    ) -> Iterator[tuple[int, tuple[str, ...]]]:
        for row in self.sheet.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col):
            number = None
            texts = []
            for cell in row:
                if cell.value is None:
                    texts.append("")
                    continue
                number = cell.row
                if cell.data_type == "f":
                    formula = str(cell.value)
                    raise ValidationError(
                        FORMULA,
                        code="formula",
                        params={
                            "cell": cell.coordinate,
                            "formula": formula if len(formula) <= 40 else formula[:39] + "…",
                        },
                    )
                texts.append(cell_text(cell.value))
            if number is not None and any(text.strip() for text in texts):
                # Trailing empty cells are not columns: a row is as wide as its last value.
                while texts and not texts[-1].strip():
                    texts.pop()
                yield number, _stripped(texts)

    def lines(self) -> Iterator[Line]:
        # One row more than allowed is read, so that a longer sheet is refused, not cut.
        last = self.header_line + MAX_LINES + 1
        for number, cells in self._rows(
            min_row=self.header_line + 1, max_row=last, max_col=MAX_COLUMNS
        ):
            if number - self.header_line > MAX_LINES:
                raise _too_many_lines()
            yield Line(number, cells)

    def close(self) -> None:
        self.workbook.close()


def _check_workbook_package(file: IO[bytes], max_bytes: int) -> None:
    """Refuse a macro-enabled workbook and one that unpacks to too much, before parsing it."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            declared = b""
            if "[Content_Types].xml" in names:
                with package.open("[Content_Types].xml") as part:
                    declared = part.read(256 * 1024)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, ValueError):
        return  # not a workbook at all: check_upload says so
    finally:
        file.seek(0)
    if any(marker in declared for marker in _MACRO_TYPES) or any(
        PurePosixPath(name).name.lower() == "vbaproject.bin" for name in names
    ):
        raise ValidationError(MACROS, code="macros")
    limit = max_bytes * UNPACKED_RATIO
    if sum(member.file_size for member in members) > limit:
        raise ValidationError(
            UNPACKED_TOO_LARGE, code="unpacked_too_large", params={"limit": _megabytes(limit)}
        )


def open_table(file: File, *, max_bytes: int | None = None) -> Table:
    """Open an uploaded CSV or XLSX file and read its header; ValidationError if the file is
    empty, too large, of another type, damaged, macro-enabled or has no header. The caller
    closes the table (it is a context manager)."""
    limit = upload_max_bytes() if max_bytes is None else max_bytes
    size = file.size
    if not size:
        raise ValidationError(EMPTY, code="empty")
    if size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"size": _megabytes(size), "limit": _megabytes(limit)},
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(_OLE2_SIGNATURE):
        raise ValidationError(OLD_EXCEL, code="old_excel")
    extension = PurePosixPath(safe_filename(file.name or "")).suffix.lower()
    if head.startswith(b"PK\x03\x04") or extension in XLSX.extensions:
        _check_workbook_package(file, limit)
        # The type by content, and a name that does not claim another.
        check_upload(file, allowed={XLSX.name}, max_bytes=limit)
        file.seek(0)
        return XlsxTable(file)
    if detect_type(file) is not None:
        raise ValidationError(NOT_A_TABLE, code="not_a_table")
    file.seek(0)
    return CsvTable(file.read())


def neutralise(value: object) -> str:
    """A cell as text a spreadsheet shows as text: one that would start a formula gets a
    leading apostrophe (OWASP's advice against CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """Rows as CSV in UTF-8 with a byte-order mark, so that Excel shows Georgian, not
    mojibake; every cell neutralised."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[object]], *, sheet_title: str) -> bytes:
    """Rows as a one-sheet workbook, every cell typed as text, so that none is a formula
    however it starts (openpyxl would make "=..." one); columns widened to fit the first row,
    which is bold."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        if index == 0:
            for position, cell in enumerate(row, start=1):
                width = min(max(len(str(cell)) + 4, 12), 60)
                sheet.column_dimensions[get_column_letter(position)].width = width
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
            cell.data_type = "s"  # text, even if it starts with "="
            if index == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
