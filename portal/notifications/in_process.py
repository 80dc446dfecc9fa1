"""The database schedule run in this process: what beat and a worker do, for a laptop with no
broker (`make run` without REDIS_URL). Production runs `celery beat` instead."""

import json
import logging
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)


def run_due_periodic_tasks(now=None):
    """Run each enabled periodic task that is due, in-process; return the names of those run."""
    from django_celery_beat.models import PeriodicTask

    from portal.celery import app

    # A worker imports every app's tasks module at start; do the same.
    app.loader.import_default_modules()
    now = now or timezone.now()
    ran = []
    for entry in PeriodicTask.objects.filter(enabled=True).select_related(
        "interval", "crontab", "solar", "clocked"
    ):
        last_run = entry.last_run_at or now - timedelta(days=365)
        is_due, _next_in = entry.schedule.is_due(last_run)
        if not is_due:
            continue
        if entry.task not in app.tasks:
            logger.warning("Periodic task %r names an unknown task %r", entry.name, entry.task)
            continue
        app.tasks[entry.task].apply(
            args=json.loads(entry.args or "[]"), kwargs=json.loads(entry.kwargs or "{}")
        )
        PeriodicTask.objects.filter(pk=entry.pk).update(
            last_run_at=now, total_run_count=F("total_run_count") + 1
        )
        ran.append(entry.name)
    return ran
