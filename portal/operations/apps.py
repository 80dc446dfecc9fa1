from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What operators run and watch: the release step, health, metrics, backups."""

    name = "portal.operations"
    label = "operations"
