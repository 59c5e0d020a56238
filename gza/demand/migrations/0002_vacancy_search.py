# Vacancy search (docs/decisions/0011): a normalised search column on both databases; on
# PostgreSQL the pg_trgm extension and a trigram GIN index on it (LIKE '%word%' and word
# similarity use the index). Both PostgreSQL steps are no-ops on SQLite.

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX = "demand_vacancy_search_trgm"


def fill_search_text(apps, schema_editor):
    from gza.core.text import normalise_for_search

    Vacancy = apps.get_model("demand", "Vacancy")
    vacancies = list(Vacancy.objects.only("title_ka", "title_en"))
    for vacancy in vacancies:
        vacancy.search_text = normalise_for_search(f"{vacancy.title_ka}\n{vacancy.title_en}")
    Vacancy.objects.bulk_update(vacancies, ["search_text"], batch_size=500)


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON demand_vacancy "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('demand', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='vacancy',
            name='search_text',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        # CreateExtension does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
