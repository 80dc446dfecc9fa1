"""How the apps above portal (intents) plug into it, since portal/ never imports them: an app
names what it adds as attributes of its AppConfig, and portal reads them here.

- `urls`: a URLconf, included at the site's root (portal/urls.py);
- `periodic_tasks`: entries of the beat schedule (portal/notifications/schedule.py);
- `office_permissions`: codenames of the app's model permissions given to the programme office's
  group (portal/accounts/roles.py);
- `organisation_sections`: dotted paths of views `(request, organisation) -> HTML`, each a part
  of an organisation's page (portal/organisations/views.py).
"""

from django.apps import apps


def app_configs_with(attribute):
    """The installed apps' configs that have `attribute`, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if hasattr(config, attribute)]
