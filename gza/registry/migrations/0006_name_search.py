from django.db import migrations, models


def index_existing_names(apps, schema_editor):
    """Recompute the people's name keys (name_key() now maps Georgian and Russian letters
    straight to key letters and no longer folds doubled letters), then fill the dictionary."""
    from gza.registry.names import deletions, name_key

    JobSeeker = apps.get_model("registry", "JobSeeker")
    NameKey = apps.get_model("registry", "NameKey")
    NameKeyVariant = apps.get_model("registry", "NameKeyVariant")
    keys = set()
    for person in JobSeeker.objects.only("first_name", "last_name").iterator():
        person.first_name_key = name_key(person.first_name)
        person.last_name_key = name_key(person.last_name)
        person.save(update_fields=["first_name_key", "last_name_key"])
        keys |= {person.first_name_key, person.last_name_key}
    keys.discard("")
    NameKey.objects.bulk_create([NameKey(key=key) for key in sorted(keys)], batch_size=1000)
    NameKeyVariant.objects.bulk_create(
        [NameKeyVariant(variant=v, key=key) for key in sorted(keys) for v in deletions(key, 1)],
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_eligibility_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=100, unique=True)),
            ],
            options={
                "verbose_name": "name key",
                "verbose_name_plural": "name keys",
            },
        ),
        migrations.CreateModel(
            name="NameKeyVariant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("variant", models.CharField(max_length=100)),
                ("key", models.CharField(max_length=100)),
            ],
            options={
                "verbose_name": "name key variant",
                "verbose_name_plural": "name key variants",
                "constraints": [
                    models.UniqueConstraint(fields=("variant", "key"), name="name_key_variant_once")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="jobseeker",
            index=models.Index(
                fields=["last_name_key", "first_name_key"], name="job_seeker_name_keys"
            ),
        ),
        migrations.RunPython(index_existing_names, migrations.RunPython.noop),
    ]
