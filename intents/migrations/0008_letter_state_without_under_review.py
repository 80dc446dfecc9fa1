"""A letter is never "under review" (intents.models.letter.LetterState says why): the state
leaves the choices, and the ranking index's condition names the states that remain."""

from django.db import migrations, models

import intents.models.letter


def under_review_to_submitted(apps, schema_editor):
    # The portal never set it; a row set by hand is a filed letter awaiting its decision.
    letters = apps.get_model("intents", "LetterOfIntent").objects
    letters.filter(state="under_review").update(state="submitted")


class Migration(migrations.Migration):
    dependencies = [
        ("intents", "0007_document_purge_and_blind_copy"),
    ]

    operations = [
        migrations.RunPython(under_review_to_submitted, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="letterofintent",
            name="letter_call_ranking",
        ),
        migrations.AlterField(
            model_name="letterofintent",
            name="state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted"),
                    ("selected", "Selected"),
                    ("waitlisted", "Waitlisted"),
                    ("not_selected", "Not selected"),
                    ("withdrawn", "Withdrawn"),
                ],
                db_index=True,
                default="draft",
                max_length=15,
                verbose_name="state",
            ),
        ),
        migrations.AddIndex(
            model_name="letterofintent",
            index=intents.models.letter.NullsLastIndex(
                models.F("call"),
                models.OrderBy(models.F("review_mean"), descending=True, nulls_last=True),
                models.OrderBy(models.F("review_median"), descending=True, nulls_last=True),
                models.F("reference"),
                models.F("id"),
                condition=models.Q(
                    ("submitted_at__isnull", False),
                    ("state__in", ("submitted", "selected", "waitlisted", "not_selected")),
                ),
                name="letter_call_ranking",
            ),
        ),
    ]
