"""Rebuild the name-search dictionary from the registry, after a bulk load that wrote people
without going through JobSeeker.save() (or to drop the keys of renamed people)."""

from typing import Any

from django.core.management.base import BaseCommand

from gza.registry.name_index import rebuild_name_index


class Command(BaseCommand):
    help = "Rebuild the dictionary of name keys that the person search looks names up in."

    def handle(self, *args: Any, **options: Any) -> None:
        count = rebuild_name_index()
        self.stdout.write(f"Name index rebuilt: {count} distinct name keys.")
