import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0006_name_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DuplicateCandidate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("score", models.FloatField(verbose_name="probability of being the same person")),
                ("evidence", models.JSONField(default=dict, verbose_name="evidence")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "waiting for review"),
                            ("merged", "merged"),
                            ("dismissed", "not the same person"),
                        ],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("detected_at", models.DateTimeField(auto_now_add=True, verbose_name="detected")),
                (
                    "reviewed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="reviewed"),
                ),
                (
                    "person_a",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.jobseeker",
                        verbose_name="first record",
                    ),
                ),
                (
                    "person_b",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.jobseeker",
                        verbose_name="second record",
                    ),
                ),
                (
                    "reviewed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="reviewed by",
                    ),
                ),
            ],
            options={
                "verbose_name": "likely duplicate",
                "verbose_name_plural": "likely duplicates",
                "ordering": ["-score", "id"],
                "indexes": [models.Index(fields=["status", "-score"], name="duplicate_queue")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("person_a", "person_b"), name="duplicate_pair_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("person_a__lt", models.F("person_b"))),
                        name="duplicate_pair_ordered",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="MergeRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("moved", models.JSONField(default=dict, verbose_name="what moved")),
                (
                    "personal_numbers_checked",
                    models.BooleanField(
                        default=False, verbose_name="personal numbers differ: the ID was checked"
                    ),
                ),
                (
                    "automatic",
                    models.BooleanField(default=False, verbose_name="merged automatically"),
                ),
                ("performed_at", models.DateTimeField(auto_now_add=True, verbose_name="merged")),
                ("undone_at", models.DateTimeField(blank=True, null=True, verbose_name="undone")),
                (
                    "candidate",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="merges",
                        to="registry.duplicatecandidate",
                        verbose_name="likely duplicate",
                    ),
                ),
                (
                    "merged",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.jobseeker",
                        verbose_name="merged record",
                    ),
                ),
                (
                    "performed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="merged by",
                    ),
                ),
                (
                    "survivor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="registry.jobseeker",
                        verbose_name="kept record",
                    ),
                ),
                (
                    "undone_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="undone by",
                    ),
                ),
            ],
            options={
                "verbose_name": "merge",
                "verbose_name_plural": "merges",
                "ordering": ["-performed_at", "-id"],
            },
        ),
    ]
