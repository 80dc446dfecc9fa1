import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger(__name__)


class Task(DjangoTask):
    """Celery's task for Django, whose publishing never fails the change that asked for the
    work: with the broker down, the work waits in the database for its sweeper (or for the page
    that needs it), and the change stands."""

    def publish(self, args=(), kwargs=None, **options):
        """apply_async(); False, with a warning, when the broker cannot be reached."""
        try:
            self.apply_async(args, kwargs, **options)
        except Exception:  # a refused connection, a time-out: kombu's errors have no one base
            logger.warning("Broker unreachable; %s waits in the database", self.name)
            return False
        return True

    # Celery's two, publishing once the surrounding transaction commits (at once outside one);
    # unlike Celery's, a broker that is down does not turn a committed change into an error.
    def apply_async_on_commit(self, args=(), kwargs=None, **options):
        transaction.on_commit(lambda: self.publish(args, kwargs, **options))

    def delay_on_commit(self, *args, **kwargs):
        self.apply_async_on_commit(args, kwargs)


app = Celery("portal", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
