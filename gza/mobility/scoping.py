"""Whose applications a mobility user may prepare for departure.

Placements are scoped by `Placement.objects.visible_to`; this module does the same for the
applications on their way abroad: the ministry sees them all, an embassy officer those for a
vacancy in the embassy's country, a caseworker those of the people they see in the registry, a
job seeker their own. Outside scope is a 404."""

from django.db.models import QuerySet

from gza.core.enums import Role
from gza.recruitment.enums import Stage
from gza.recruitment.models import Application
from gza.registry.models import JobSeeker

# From the accepted offer to departure: the checklist is kept and orientation given.
PRE_DEPARTURE_STAGES = frozenset(
    {
        Stage.OFFER_ACCEPTED,
        Stage.PRE_DEPARTURE,
        Stage.VISA_SUBMITTED,
        Stage.VISA_GRANTED,
    }
)


def applications_visible_to(user) -> QuerySet[Application]:
    applications = Application.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return applications.none()
    if user.role == Role.MINISTRY_OFFICER:
        return applications
    if user.role == Role.EMBASSY_OFFICER and user.organisation_id:
        return applications.filter(vacancy__country_id=user.organisation.country_id)
    if user.role == Role.CASEWORKER:
        return applications.filter(job_seeker__in=JobSeeker.objects.visible_to(user))
    if user.role == Role.JOB_SEEKER:
        return applications.filter(job_seeker__user=user)
    return applications.none()
