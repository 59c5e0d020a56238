from django.core.management.base import BaseCommand, CommandParser

from gza.taxonomy.services import DATASETS, reference_data_load


class Command(BaseCommand):
    help = "Load the reference data shipped in gza/taxonomy/data/ (only what changed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only", nargs="+", choices=[name for name, *_ in DATASETS], help="datasets to load"
        )
        parser.add_argument("--force", action="store_true", help="reload even if unchanged")

    def handle(self, *args: object, only: list[str] | None, force: bool, **options: object) -> None:
        for result in reference_data_load(only=set(only) if only else None, force=force):
            state = "loaded" if result.loaded else "unchanged"
            self.stdout.write(f"{result.dataset:<18} {result.rows:>7} rows  {state}")
