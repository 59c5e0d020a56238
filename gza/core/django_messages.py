"""Django's own interface strings that its Georgian catalogue lacks (added or changed in recent
Django releases). Listing them here makes `make messages` put them in locale/ka, which Django
reads before its own catalogues, so forms and the admin speak Georgian throughout."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_STRINGS = [
    gettext_noop("- Select an option -"),
    gettext_noop("Enter a valid domain name."),
    gettext_noop("Enter a valid JSON."),
    gettext_noop("Reset password"),
    gettext_noop("Set password"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
]
DJANGO_PLURALS = [
    # django.utils.timesince ("opened 4 weeks, 1 day ago" on the grievance board).
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
]
