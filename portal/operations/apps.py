from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What operators run and watch: the release step, health, metrics, backups."""

    name = "portal.operations"
    label = "operations"

    def ready(self):
        from . import logging, metrics  # noqa: F401  (metrics registers the outbox's figures)

        logging.connect_signals()
