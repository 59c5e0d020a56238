"""Server-side PDF documents that render Georgian correctly.

fpdf2 lays out a small subset of HTML (headings, paragraphs, lists, tables, bold, italics); the
font is FiraGO, which covers Mkhedruli, Latin, Cyrillic and the lari sign. It comes from the
`pymupdf-fonts` package (SIL Open Font License), so nothing is downloaded at run time: the font
bytes are written once to a cache file because fpdf2 reads fonts from a path, and fpdf2 embeds
only the glyphs a document uses.

The templates given to `html_to_pdf` must keep to the subset fpdf2 understands; see
docs/decisions/0008-server-side-pdf.md.
"""

import hashlib
import logging
import os
import tempfile
from functools import cache
from pathlib import Path

import pymupdf_fonts
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_FAMILY = "FiraGO"
# fontTools reports every table it subsets at INFO level; that is noise in the service's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)
# pymupdf-fonts' names for the FiraGO styles, by the style letters fpdf2 uses.
_FONT_NAMES = {"": "figo", "B": "figbo", "I": "figit", "BI": "figbi"}


@cache
def _font_files() -> dict[str, Path]:
    """Write each FiraGO style to a private cache directory once per process."""
    directory = Path(tempfile.gettempdir()) / f"gza-fonts-{os.getuid()}"
    directory.mkdir(mode=0o700, exist_ok=True)
    paths = {}
    for style, name in _FONT_NAMES.items():
        data = pymupdf_fonts.myfont(name)
        path = directory / f"FiraGO-{style or 'R'}-{hashlib.sha256(data).hexdigest()[:12]}.ttf"
        if not path.exists():
            # Write to a temporary name first so a concurrent process never reads half a font.
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(data)
            partial.replace(path)
        paths[style] = path
    return paths


class _Document(FPDF):
    def __init__(self, *, title: str, footer: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer
        for style, path in _font_files().items():
            self.add_font(FONT_FAMILY, style, path)
        self.set_font(FONT_FAMILY, size=10.5)
        self.set_title(title)
        self.set_creator("Gza")
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT_FAMILY, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{self._footer_text} · {self.page_no()}/{{nb}}", align="C")


def html_to_pdf(html: str, *, title: str, footer: str = "Gza", language: str = "ka") -> bytes:
    """Lay out `html` (fpdf2's HTML subset) on A4 pages and return the PDF's bytes."""
    document = _Document(title=title, footer=footer)
    document.set_lang(language)
    document.add_page()
    document.write_html(
        html,
        font_family=FONT_FAMILY,
        tag_styles={
            "h1": FontFace(family=FONT_FAMILY, emphasis="BOLD", size_pt=17),
            "h2": FontFace(family=FONT_FAMILY, emphasis="BOLD", size_pt=13.5),
            "h3": FontFace(family=FONT_FAMILY, emphasis="BOLD", size_pt=11.5),
        },
    )
    return bytes(document.output())
