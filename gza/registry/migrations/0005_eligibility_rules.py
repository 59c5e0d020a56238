# Eligibility rules of vacancies and schemes; the ERASED record status (deletion carried out).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("demand", "0003_employerdocument"),
        ("partners", "0003_quota_every_occupation_unique"),
        ("registry", "0004_one_time_codes"),
        ("taxonomy", "0002_country_is_union"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="jobseeker",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "active"),
                    ("merged", "merged into another record"),
                    ("erased", "erased on the person's request"),
                ],
                default="active",
                editable=False,
                max_length=10,
                verbose_name="record status",
            ),
        ),
        migrations.CreateModel(
            name="EligibilityRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("age", "age range"),
                            ("document", "document required"),
                            ("language", "minimum language level"),
                            ("experience", "years of experience"),
                            ("driving_licence", "driving licence"),
                            ("no_schengen_stay", "no recent stay in the Schengen area"),
                            ("education", "minimum education (ISCED)"),
                            ("passport_validity", "passport valid after the start date"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "min_age",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="minimum age"
                    ),
                ),
                (
                    "max_age",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="maximum age"
                    ),
                ),
                (
                    "document_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("cv", "CV"),
                            ("diploma", "diploma"),
                            ("certificate", "certificate"),
                            ("passport", "passport copy"),
                            ("reference", "employment reference"),
                            ("other", "other document"),
                        ],
                        max_length=20,
                        verbose_name="document",
                    ),
                ),
                (
                    "years",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="years of experience"
                    ),
                ),
                (
                    "driving_licence",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("AM", "AM"),
                            ("A1", "A1"),
                            ("A2", "A2"),
                            ("A", "A"),
                            ("B", "B"),
                            ("BE", "BE"),
                            ("C1", "C1"),
                            ("C1E", "C1E"),
                            ("C", "C"),
                            ("CE", "CE"),
                            ("D1", "D1"),
                            ("D1E", "D1E"),
                            ("D", "D"),
                            ("DE", "DE"),
                        ],
                        max_length=3,
                        verbose_name="driving licence category",
                    ),
                ),
                (
                    "months",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="For the Schengen rule: no stay in the last N months. For the passport rule: valid at least N months after the start date.",
                        null=True,
                        verbose_name="months",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="added")),
                (
                    "agreement",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="eligibility_rules",
                        to="partners.agreement",
                        verbose_name="agreement or scheme",
                    ),
                ),
                (
                    "cefr_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.cefrlevel",
                        verbose_name="minimum CEFR level",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "isced_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.iscedlevel",
                        verbose_name="minimum education (ISCED)",
                    ),
                ),
                (
                    "language",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.language",
                        verbose_name="language",
                    ),
                ),
                (
                    "occupation",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for the vacancy's own occupation.",
                        limit_choices_to={"level": 4},
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="taxonomy.occupation",
                        verbose_name="in occupation (ISCO-08)",
                    ),
                ),
                (
                    "vacancy",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="eligibility_rules",
                        to="demand.vacancy",
                        verbose_name="vacancy",
                    ),
                ),
            ],
            options={
                "verbose_name": "eligibility rule",
                "verbose_name_plural": "eligibility rules",
                "ordering": ["kind", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("vacancy__isnull", False), ("agreement__isnull", True)),
                            models.Q(("vacancy__isnull", True), ("agreement__isnull", False)),
                            _connector="OR",
                        ),
                        name="eligibility_rule_vacancy_or_agreement",
                        violation_error_message="A rule belongs to a vacancy or to an agreement, not both.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("min_age__isnull", True),
                            ("max_age__isnull", True),
                            ("min_age__lte", models.F("max_age")),
                            _connector="OR",
                        ),
                        name="eligibility_rule_age_range_in_order",
                        violation_error_message="The minimum age cannot be above the maximum age.",
                    ),
                ],
            },
        ),
    ]
