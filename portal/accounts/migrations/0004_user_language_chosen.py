from django.db import migrations, models


def mark_languages_evidently_chosen(apps, schema_editor):
    # Nothing recorded who chose English; a language other than the default was chosen.
    apps.get_model("accounts", "User").objects.exclude(language="en").update(language_chosen=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_time_zones_people_use"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="language_chosen",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="language chosen by the person"
            ),
        ),
        migrations.RunPython(mark_languages_evidently_chosen, migrations.RunPython.noop),
    ]
