import datetime

import django.utils.timezone
from django.db import migrations, models

# The first version of each consent text (written for Gza, frozen: a change is a new version).
from gza.registry.consent import CONSENT_TEXTS_V1  # noqa: E402

def add_first_consent_texts(apps, schema_editor):
    ConsentText = apps.get_model("registry", "ConsentText")
    for purpose, (text_ka, text_en) in CONSENT_TEXTS_V1.items():
        if not ConsentText.objects.filter(purpose=purpose).exists():
            ConsentText.objects.create(
                purpose=purpose,
                version=1,
                text_ka=text_ka,
                text_en=text_en,
                effective_from=datetime.date(2026, 12, 1),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_identity_and_profile"),
    ]

    operations = [
        migrations.CreateModel(
            name="CodeRequestTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("ip_hash", models.CharField(max_length=64)),
                ("minute", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "code request tally",
                "verbose_name_plural": "code request tallies",
                "constraints": [models.UniqueConstraint(fields=("ip_hash", "minute"), name="code_tally_once_per_minute")],
            },
        ),
        migrations.CreateModel(
            name="OneTimeCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("channel", models.CharField(choices=[("sms", "mobile phone (SMS)"), ("email", "e-mail")], max_length=5, verbose_name="channel")),
                ("address_hash", models.CharField(max_length=64, verbose_name="address (keyed hash)")),
                ("code_hash", models.CharField(max_length=64, verbose_name="code (keyed hash)")),
                ("purpose", models.CharField(choices=[("register", "registration"), ("sign_in", "sign-in")], max_length=10, verbose_name="purpose")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created")),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="used")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="wrong tries")),
                ("ip_hash", models.CharField(blank=True, max_length=64, verbose_name="client address (keyed hash)")),
            ],
            options={
                "verbose_name": "one-time code",
                "verbose_name_plural": "one-time codes",
                "indexes": [models.Index(fields=["address_hash", "created_at"], name="otp_address_created")],
            },
        ),
        migrations.RunPython(add_first_consent_texts, migrations.RunPython.noop),
    ]
