"""Consent per purpose: giving it, withdrawing it, and the texts people agree to.

A consent points at the version of the text the person agreed to (ConsentText), so a later
change of wording never rewrites what someone said yes to. At most one consent per person and
purpose stands at a time (a partial unique constraint on Consent); a new consent after a
withdrawal is a new row, so the history stays.

Effects of withdrawing:
- EMPLOYER_SHARING: the person leaves `JobSeeker.objects.shareable_with_employers()` at once,
  so no employer sees the profile from then on.
- SURVEYS, PARTNER_EXCHANGE: no contact for surveys, no exchange with partner institutions.
- REGISTRATION (registration and matching) is the basis of the registry record itself: without
  it there is nothing lawful left to do with the record but delete it. So it is not withdrawn
  on its own: `consent_withdraw()` refuses with REGISTRATION_NEEDS_DELETION and the pages offer
  the deletion request instead (gza/registry/privacy.py). Carrying out a deletion withdraws
  every standing consent, this one included.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gza.core.audit import access_record, audit_record
from gza.core.enums import AccessAction, AuditVerb
from gza.core.errors import DomainError
from gza.core.models import User
from gza.registry.enums import ConsentPurpose
from gza.registry.models import Consent, ConsentText, JobSeeker


class ConsentError:
    """Messages of the DomainErrors raised here, as constants for views and tests."""

    NO_TEXT = _("There is no text to agree to for this purpose yet.")
    NOT_GIVEN = _("There is no standing consent for this purpose to withdraw.")
    REGISTRATION_NEEDS_DELETION = _(
        "Consent to registration and matching is the basis of your registry record. "
        "To withdraw it, ask for your record to be deleted on your privacy page."
    )


# The first version of each text. Georgian is the text people sign; the English says the same.
CONSENT_TEXTS_V1: dict[str, tuple[str, str]] = {
    ConsentPurpose.REGISTRATION: (
        "ვეთანხმები, რომ შრომითი მიგრაციის საკითხებზე პასუხისმგებელმა სამინისტრომ ჩემი "
        "პერსონალური მონაცემები — პირადობის მონაცემები, საკონტაქტო ინფორმაცია, განათლება, "
        "სამუშაო გამოცდილება, ენები, უნარები და დოკუმენტები — შეინახოს „გზის“ სამუშაოს "
        "მაძიებელთა რეესტრში და გამოიყენოს საზღვარგარეთ არსებული ვაკანსიების შესახებ "
        "ინფორმაციის მოსაწოდებლად და ამ ვაკანსიებთან ჩემი შესაბამისობის დასადგენად. ჩემს "
        "მონაცემებს ხედავენ მხოლოდ ის თანამშრომლები, რომლებსაც ეს სამუშაოსთვის სჭირდებათ, და "
        "ჩემი ჩანაწერის ყოველი დათვალიერება აღირიცხება. კონფიდენციალურობის გვერდზე შემიძლია "
        "ვნახო, ვინ დაათვალიერა ჩემი ჩანაწერი, ჩამოვტვირთო ჩემი მონაცემები და მოვითხოვო მათი "
        "წაშლა.",
        "I agree that the ministry responsible for labour migration keeps my personal data — "
        "identity, contacts, education, work experience, languages, skills and documents — in "
        "Gza's registry of job seekers and uses it to tell me about vacancies abroad and to "
        "match me with them. Only the officers whose work needs it see my data, and every view "
        "of my record is logged. On my privacy page I can see who viewed my record, download my "
        "data and ask for it to be deleted.",
    ),
    ConsentPurpose.EMPLOYER_SHARING: (
        "ვეთანხმები, რომ ჩემი პროფილი — პროფესიები, სამუშაო გამოცდილება, განათლება, ენები, "
        "უნარები და მუშაობის დაწყების თარიღი — ეჩვენოს უცხოელ დამსაქმებლებსა და "
        "სერტიფიცირებულ კერძო დასაქმების სააგენტოებს, რომლებიც ჩემთვის შესაფერის ვაკანსიებზე "
        "ეძებენ მუშაკებს. ჩემი პირადი ნომერი, პასპორტის მონაცემები და საკონტაქტო ინფორმაცია "
        "მათ გადაეცემათ მხოლოდ მაშინ, თუ დამსაქმებელი სამუშაოდ შემარჩევს. ამ თანხმობის "
        "გამოხმობა ნებისმიერ დროს შემიძლია; ამის შემდეგ ჩემი პროფილი დამსაქმებლებს აღარ "
        "ეჩვენებათ.",
        "I agree that my profile — occupations, work experience, education, languages, skills "
        "and the date I can start work — may be shown to foreign employers and certified "
        "private employment agencies looking for workers for vacancies that suit me. My "
        "personal number, passport details and contacts are given to them only if an employer "
        "selects me for a job. I can withdraw this consent at any time; my profile is then no "
        "longer shown to employers.",
    ),
    ConsentPurpose.SURVEYS: (
        "ვეთანხმები, რომ შრომით მიგრაციასთან დაკავშირებული გამოკითხვების მიზნით დამიკავშირდნენ "
        "ტელეფონით, მოკლე ტექსტური შეტყობინებით ან ელექტრონული ფოსტით, მათ შორის საზღვარგარეთ "
        "მუშაობამდე, მუშაობის დროს და მის შემდეგ ჩემი გამოცდილების შესახებ. გამოკითხვაში "
        "მონაწილეობა ყოველთვის ნებაყოფლობითია და გავლენას არ ახდენს ჩემს შერჩევაზე.",
        "I agree to be contacted by phone, text message or e-mail for surveys about labour "
        "migration, including about my experience before, during and after work abroad. Taking "
        "part in a survey is always voluntary and does not affect my chances of being selected.",
    ),
    ConsentPurpose.PARTNER_EXCHANGE: (
        "ვეთანხმები რეესტრში არსებული ჩემი მონაცემების გაცვლას პარტნიორ ინსტიტუციებთან — "
        "პარტნიორი ქვეყნების დასაქმების სახელმწიფო სამსახურებთან და იმ ორგანიზაციებთან, "
        "რომლებიც საქართველოსთან ერთად ახორციელებენ შრომითი მიგრაციის პროგრამებს — იმდენად, "
        "რამდენადაც ეს საჭიროა პროგრამაში ჩემი მონაწილეობისთვის, შესაბამისი შეთანხმების "
        "პირობებით.",
        "I agree that my registry data may be exchanged with partner institutions — the public "
        "employment services of partner countries and the organisations that run labour "
        "migration schemes with Georgia — as far as my taking part in a scheme needs it, under "
        "the terms of the agreement that governs the scheme.",
    ),
}
CONSENT_TEXTS_EFFECTIVE_FROM = datetime.date(2026, 1, 1)


def ensure_consent_texts() -> int:
    """Create version 1 of each purpose's text if missing; returns how many were created.

    Idempotent (get_or_create by purpose and version) so demo loading, tests and a data
    migration may all call it; an existing version 1 is never rewritten."""
    created = 0
    for purpose, (text_ka, text_en) in CONSENT_TEXTS_V1.items():
        _text, was_created = ConsentText.objects.get_or_create(
            purpose=purpose,
            version=1,
            defaults={
                "text_ka": text_ka,
                "text_en": text_en,
                "effective_from": CONSENT_TEXTS_EFFECTIVE_FROM,
            },
        )
        created += was_created
    return created


def current_texts() -> dict[str, ConsentText]:
    """The newest text of each purpose that has one, in one query."""
    newest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.order_by("purpose", "-version"):
        newest.setdefault(text.purpose, text)
    return newest


@dataclass(frozen=True)
class ConsentState:
    """One purpose as a person's consent page shows it."""

    purpose: str
    label: str
    text: ConsentText | None
    standing: Consent | None
    last_withdrawn: Consent | None

    @property
    def is_given(self) -> bool:
        return self.standing is not None

    @property
    def is_outdated(self) -> bool:
        """Given to an older version than the newest text."""
        return bool(self.standing and self.text and self.standing.text_id != self.text.pk)

    @property
    def can_withdraw(self) -> bool:
        return self.is_given and self.purpose != ConsentPurpose.REGISTRATION


def consent_states(person: JobSeeker) -> list[ConsentState]:
    """Every purpose with its newest text, the standing consent and the last withdrawn one."""
    texts = current_texts()
    standing: dict[str, Consent] = {}
    withdrawn: dict[str, Consent] = {}
    for consent in person.consents.select_related("text").order_by("-given_at", "-id"):
        if consent.withdrawn_at is None:
            standing.setdefault(consent.purpose, consent)
        else:
            withdrawn.setdefault(consent.purpose, consent)
    return [
        ConsentState(
            purpose=purpose,
            label=str(label),
            text=texts.get(purpose),
            standing=standing.get(purpose),
            last_withdrawn=withdrawn.get(purpose),
        )
        for purpose, label in ConsentPurpose.choices
    ]


def _lock(person: JobSeeker) -> None:
    # Two clicks or two tabs at once would both see "no standing consent" and the second
    # insert would hit the one-standing-per-purpose constraint; the row lock serialises them.
    JobSeeker.objects.select_for_update().filter(pk=person.pk).first()


def consent_give(*, person: JobSeeker, purpose: str, actor: User | None) -> Consent:
    """Record the person's consent to the newest text of `purpose`.

    Already given to that text: nothing changes. Given to an older version: that consent is
    closed (withdrawn_at now) and a new one to the newest version takes its place, so the
    record always names the text agreed to. `actor` is the person themself or the officer
    who recorded a consent given at a service centre."""
    if purpose not in ConsentPurpose.values:
        raise DomainError(ConsentError.NO_TEXT)
    text = ConsentText.objects.filter(purpose=purpose).order_by("-version").first()
    if text is None:
        raise DomainError(ConsentError.NO_TEXT)
    now = timezone.now()
    with transaction.atomic():
        _lock(person)
        current = person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
        if current is not None and current.text_id == text.pk:
            return current
        if current is not None:
            current.withdrawn_at = now
            current.save(update_fields=["withdrawn_at"])
        consent = Consent(
            job_seeker=person,
            purpose=purpose,
            text=text,
            given_at=now,
            recorded_by=actor if actor is not None and actor.pk != person.user_id else None,
        )
        consent.full_clean()
        consent.save()
        payload = {"consent": "given", "purpose": purpose, "version": text.version}
        if current is not None:
            payload["replaces_version"] = current.text.version
        audit_record(actor=actor, verb=AuditVerb.CREATED, target=consent, payload=payload)
        _log_change(person=person, actor=actor, purpose=purpose)
    return consent


def consent_withdraw(*, person: JobSeeker, purpose: str, actor: User | None) -> Consent:
    """Withdraw the person's standing consent for `purpose` (see the module's docstring for
    the effects; registration and matching is withdrawn only by deleting the record)."""
    if purpose == ConsentPurpose.REGISTRATION:
        raise DomainError(ConsentError.REGISTRATION_NEEDS_DELETION)
    with transaction.atomic():
        _lock(person)
        consent = (
            person.consents.select_related("text")
            .filter(purpose=purpose, withdrawn_at__isnull=True)
            .first()
        )
        if consent is None:
            raise DomainError(ConsentError.NOT_GIVEN)
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATED,
            target=consent,
            payload={"consent": "withdrawn", "purpose": purpose, "version": consent.text.version},
        )
        _log_change(person=person, actor=actor, purpose=purpose)
    return consent


def _log_change(*, person: JobSeeker, actor: User | None, purpose: str) -> None:
    """A consent recorded by an officer is a change to the person's record by that officer's
    organisation, so it belongs in the access log the person reads."""
    if actor is not None and actor.pk and actor.pk != person.user_id:
        access_record(
            actor=actor, subject=person, action=AccessAction.CHANGE, purpose=f"consent:{purpose}"
        )
