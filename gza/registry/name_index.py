"""The dictionary of name keys that makes typo-tolerant person search fast.

Comparing a typed name against every person's name is what makes trigram search slow on a
million records. Instead, each distinct name key (gza/registry/names.py) is stored once, with
every string made by deleting one of its letters. A query key's own deletions (up to two) then
find all dictionary keys within an edit or two by exact, indexed look-ups (the symmetric-delete
idea), and people are fetched by those keys through ordinary btree indexes.

The dictionary only ever grows between rebuilds: a renamed person's old key stays as a harmless
candidate that leads to no one until `manage.py rebuild_name_index` drops it.
"""

from collections.abc import Iterable

from django.db import models, transaction

from gza.registry.names import deletions

# Keys are stored with their single deletions; queries add their own second deletions, so a
# key two edits away (a typo inside a digraph: "kh" typed "kj") is still met.
STORED_DISTANCE = 1


class NameKey(models.Model):
    """One distinct name key (a first name or a surname, in its script-independent form)."""

    key = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = "name key"
        verbose_name_plural = "name keys"

    def __str__(self) -> str:
        return self.key


class NameKeyVariant(models.Model):
    """A name key with up to one letter deleted, pointing back to the key. The unique
    constraint's index (variant, key) answers the look-up from the index alone."""

    variant = models.CharField(max_length=100)
    key = models.CharField(max_length=100)

    class Meta:
        verbose_name = "name key variant"
        verbose_name_plural = "name key variants"
        constraints = [
            models.UniqueConstraint(fields=["variant", "key"], name="name_key_variant_once")
        ]

    def __str__(self) -> str:
        return f"{self.variant} → {self.key}"


def variant_rows(keys: Iterable[str]) -> list[NameKeyVariant]:
    return [
        NameKeyVariant(variant=variant, key=key)
        for key in keys
        for variant in deletions(key, STORED_DISTANCE)
    ]


def index_names(keys: Iterable[str]) -> int:
    """Add name keys not yet in the dictionary, with their variants; returns how many were new.

    Safe to call from concurrent registrations: both inserts ignore rows another transaction
    has just written, so a race costs nothing but a no-op."""
    wanted = {key for key in keys if key}
    if not wanted:
        return 0
    known = set(NameKey.objects.filter(key__in=wanted).values_list("key", flat=True))
    new = sorted(wanted - known)
    if not new:
        return 0
    with transaction.atomic():
        NameKey.objects.bulk_create(
            [NameKey(key=key) for key in new], ignore_conflicts=True, batch_size=1000
        )
        NameKeyVariant.objects.bulk_create(
            variant_rows(new), ignore_conflicts=True, batch_size=5000
        )
    return len(new)


def rebuild_name_index() -> int:
    """Rebuild the dictionary from the people's current keys, dropping keys no one has any
    more; returns the number of keys. For after bulk loads that skipped index_names()."""
    from gza.registry.models import JobSeeker

    people = JobSeeker.objects.all()
    keys = set(people.values_list("first_name_key", flat=True).distinct()) | set(
        people.values_list("last_name_key", flat=True).distinct()
    )
    keys.discard("")
    with transaction.atomic():
        NameKeyVariant.objects.all().delete()
        NameKey.objects.all().delete()
        ordered = sorted(keys)
        for start in range(0, len(ordered), 10_000):
            chunk = ordered[start : start + 10_000]
            NameKey.objects.bulk_create([NameKey(key=key) for key in chunk])
            NameKeyVariant.objects.bulk_create(variant_rows(chunk), batch_size=5000)
    return len(keys)
