"""What makes matching re-run: a job seeker's record or consent saved, a vacancy saved while
published (or just published), an eligibility rule added or removed. Connected in
MatchingConfig.ready().

Signals rather than calls from each service, because every path that changes these rows (the
portal's wizard, an officer's edit, the API, a merge, an erasure, a consent) already saves the
person's or the vacancy's row in the same transaction: one hook catches them all, and
`schedule_rematch` turns any number of saves in a transaction into one task. Bulk imports skip
signals; gza/registry/imports.after_import asks for the re-match itself."""

from typing import Any

from gza.demand.enums import VacancyStatus
from gza.matching.tasks import schedule_rematch


def person_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A person's profile, status or consent changed: any shortlist may move."""
    if kwargs.get("raw"):  # fixtures
        return
    schedule_rematch(vacancy_ids=None)


def vacancy_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A vacancy was saved: re-run its shortlist if it is published (a draft's edits move no
    shortlist; recommendations read vacancies as they are, not from the index)."""
    if kwargs.get("raw"):
        return
    if instance.status == VacancyStatus.PUBLISHED:
        schedule_rematch(vacancy_ids=[instance.pk])


def rule_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """An eligibility rule of a vacancy, or of a scheme (all its vacancies), changed."""
    if kwargs.get("raw"):
        return
    if instance.vacancy_id:
        schedule_rematch(vacancy_ids=[instance.vacancy_id])
    elif instance.agreement_id:
        from gza.demand.models import Vacancy

        schedule_rematch(
            vacancy_ids=Vacancy.objects.published()
            .filter(agreement_id=instance.agreement_id)
            .values_list("pk", flat=True)
        )


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from gza.demand.models import Vacancy
    from gza.registry.eligibility import EligibilityRule
    from gza.registry.models import Consent, JobSeeker

    uid = "gza.matching"
    post_save.connect(person_changed, sender=JobSeeker, dispatch_uid=f"{uid}.person")
    post_save.connect(person_changed, sender=Consent, dispatch_uid=f"{uid}.consent")
    post_save.connect(vacancy_changed, sender=Vacancy, dispatch_uid=f"{uid}.vacancy")
    post_save.connect(rule_changed, sender=EligibilityRule, dispatch_uid=f"{uid}.rule")
    post_delete.connect(rule_changed, sender=EligibilityRule, dispatch_uid=f"{uid}.rule_gone")
