"""Orientation certificates: the code printed on them, its check on the portal, and the
bilingual PDF.

A code is 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L), so it can be read
aloud or typed from paper: 31^10, about 8 * 10^14 codes, far beyond guessing. The portal's check
tells only the holder's initials and the session's date, enough to match a paper in hand and
nothing more about the person."""

import secrets
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from gza.core.pdf import html_to_pdf
from gza.mobility.models import Attendance

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
CERTIFICATE_TITLE = _("Pre-departure orientation certificate")


def new_certificate_code() -> str:
    """A code no certificate has yet (the unique index backs this check)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Attendance.objects.filter(certificate_code=code).exists():
            return code


def normalise_code(text: str) -> str:
    """What a person typed, as stored: capitals, without spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch not in " -\t")


def display_code(code: str) -> str:
    """Printed in two groups of five, easier to read out."""
    return f"{code[:5]}-{code[5:]}" if len(code) == CODE_LENGTH else code


@dataclass(frozen=True)
class Verification:
    valid: bool
    initials: str = ""
    session_date: object = None


def certificate_verify(text: str) -> Verification:
    code = normalise_code(text)
    if len(code) != CODE_LENGTH:
        return Verification(valid=False)
    attendance = (
        Attendance.objects.filter(certificate_code=code, attended=True)
        .select_related("session", "application__job_seeker")
        .first()
    )
    if attendance is None:
        return Verification(valid=False)
    person = attendance.application.job_seeker
    return Verification(
        valid=True,
        initials=initials_of(person),
        session_date=attendance.session.starts_at.date(),
    )


def initials_of(person) -> str:
    """ "მ. კ. (M. K.)": the first letters of the names, Georgian and Latin."""
    georgian = f"{person.first_name[:1]}. {person.last_name[:1]}."
    if person.first_name_latin and person.last_name_latin:
        return f"{georgian} ({person.first_name_latin[:1]}. {person.last_name_latin[:1]}.)"
    return georgian


def certificate_pdf(attendance: Attendance) -> bytes:
    """The certificate in Georgian and English on one page, whatever the reader's language."""
    session = attendance.session
    person = attendance.application.job_seeker
    context = {
        "attendance": attendance,
        "session": session,
        "name_ka": f"{person.first_name} {person.last_name}",
        "name_latin": (
            f"{person.first_name_latin} {person.last_name_latin}"
            if person.first_name_latin and person.last_name_latin
            else f"{person.first_name} {person.last_name}"
        ),
        "code": display_code(attendance.certificate_code or ""),
    }
    html = render_to_string("mobility/certificate_pdf.html", context)
    return html_to_pdf(html, title=bilingual(CERTIFICATE_TITLE), footer="Gza", language="ka")


def bilingual(message) -> str:
    """A translatable message in Georgian and in English, as the certificate prints it."""
    with translation.override("ka"):
        georgian = str(message)
    with translation.override("en"):
        english = str(message)
    return georgian if georgian == english else f"{georgian} / {english}"
