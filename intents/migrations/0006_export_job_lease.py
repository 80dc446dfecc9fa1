import datetime as dt

from django.db import migrations, models


def lease_running_builds(apps, schema_editor):
    """A build running at the upgrade keeps what the old code gave it: two hours from its start,
    after which the sweeper takes it as lost with its worker."""
    ExportJob = apps.get_model("intents", "ExportJob")
    for job in ExportJob.objects.filter(state="running").only("pk", "created_at"):
        ExportJob.objects.filter(pk=job.pk).update(
            lease_expires_at=job.created_at + dt.timedelta(hours=2), attempts=1
        )


class Migration(migrations.Migration):
    dependencies = [
        ("intents", "0005_letter_review_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="exportjob",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="exportjob",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(lease_running_builds, migrations.RunPython.noop, elidable=True),
    ]
