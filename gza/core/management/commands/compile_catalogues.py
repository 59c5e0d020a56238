from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Compile locale/*/LC_MESSAGES/*.po to .mo with polib, so no system gettext is needed. "
        "Fails on untranslated or fuzzy entries in the Georgian catalogue."
    )

    def handle(self, *args: object, **options: object) -> None:
        problems = []
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                language = po_path.parent.parent.name
                if language != "en":
                    missing = [e.msgid for e in catalogue.untranslated_entries()]
                    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
                    problems += [f"{po_path}: untranslated: {m!r}" for m in missing]
                    problems += [f"{po_path}: fuzzy: {m!r}" for m in fuzzy]
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path} ({len(catalogue)} entries)")
        if problems:
            raise CommandError("\n".join(problems))
