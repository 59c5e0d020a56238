from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template import TemplateSyntaxError
from django.template.loader import get_template


class Command(BaseCommand):
    help = "Compile every Gza template, so a syntax error fails CI rather than a page."

    def handle(self, *args: object, **options: object) -> None:
        errors = []
        count = 0
        for directory in settings.TEMPLATES[0]["DIRS"]:
            root = Path(directory)
            for path in sorted(root.rglob("*")):
                if path.suffix not in {".html", ".txt"}:
                    continue
                count += 1
                try:
                    get_template(str(path.relative_to(root)))
                except TemplateSyntaxError as error:
                    errors.append(f"{path}: {error}")
        if errors:
            raise CommandError("\n".join(errors))
        self.stdout.write(f"{count} templates compile.")
