"""Likely duplicate records and the merges that resolve them (gza/registry/duplicates.py finds
them, gza/registry/merge.py merges and undoes). Imported by gza/registry/models.py so Django
registers them with the registry app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gza.registry.enums import DuplicateStatus, RecordStatus


class DuplicateCandidateQuerySet(models.QuerySet):
    def open(self) -> "DuplicateCandidateQuerySet":
        """Pairs waiting for review whose records are both still in use: a pair whose record
        was merged with a third one meanwhile is moot until that merge is undone."""
        return self.filter(
            status=DuplicateStatus.OPEN,
            person_a__status=RecordStatus.ACTIVE,
            person_b__status=RecordStatus.ACTIVE,
        )


class DuplicateCandidate(models.Model):
    """Two records that may be the same person, with the evidence that says so. The pair is
    stored once, lower id first, so a rescan never queues it twice and a dismissal sticks."""

    person_a = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("first record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    person_b = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("second record"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    score = models.FloatField(_("probability of being the same person"))
    # [{"field": ..., "level": ..., "weight": ...}, ...] and the total match weight; codes,
    # never the compared values, so the queue holds no copy of personal data.
    evidence = models.JSONField(_("evidence"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.OPEN,
    )
    detected_at = models.DateTimeField(_("detected"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("likely duplicate")
        verbose_name_plural = _("likely duplicates")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="duplicate_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"], name="duplicate_queue")]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} {self.score:.3f}"


class MergeRecord(models.Model):
    """One merge, with exactly what it moved, so that undoing it restores the state before.

    `moved` holds: "rows" {model label: [ids re-pointed to the survivor]}, "updated"
    {model label: [{"id", field: old value...}]} for survivor rows that took a better value from
    a clashing row, "dropped" {model label: [the clashing row's fields]} for rows removed
    because the survivor already had one, "m2m" {field: {"added": [...], "removed": [...]}},
    "fields" {field: [old survivor value, value copied]} and "user" (the account moved, if
    any)."""

    survivor = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("kept record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    merged = models.ForeignKey(
        "registry.JobSeeker",
        verbose_name=_("merged record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    candidate = models.ForeignKey(
        DuplicateCandidate,
        verbose_name=_("likely duplicate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merges",
    )
    moved = models.JSONField(_("what moved"), default=dict)
    personal_numbers_checked = models.BooleanField(
        _("personal numbers differ: the ID was checked"), default=False
    )
    automatic = models.BooleanField(_("merged automatically"), default=False)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("merged"), auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-performed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"
