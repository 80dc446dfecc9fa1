"""How the apps above portal (intents) plug into it, since portal/ never imports them: an app
names what it adds as attributes of its AppConfig, and portal reads them here.

- `urls`: a URLconf, included at the site's root (portal/urls.py);
- `periodic_tasks`: entries of the beat schedule (portal/notifications/schedule.py);
- `office_permissions`: codenames of the app's model permissions given to the programme office's
  group (portal/accounts/roles.py);
- `organisation_sections`: dotted paths of views `(request, organisation) -> HTML`, each a part
  of an organisation's page (portal/organisations/views.py);
- `home`: the dotted path of the view of the site's root, which portal names "home" (its pages
  and the error pages link to it; LOGIN_REDIRECT_URL);
- `landing`: the dotted path of a function `user -> URL or None`: where signing in takes a user
  who asked for no page (the office, a reviewer's desk), None for the home page; the first
  app's that names one wins (`landing_url` below, used by portal/accounts/adapter.py);
- `navigation`: links of the site's menu (templates/base.html, and the breadcrumbs of portal's
  office pages), each {"key", "url" (a URL name), "label", "visible" (a dotted path of a
  predicate `user -> bool`)}, given to templates by `navigation_links` below;
- `audit_kinds`: dotted paths of mappings {verb: portal.audit.sentences.Kind}, the sentence of
  each kind of audit event the app writes (portal/audit/sentences.py).

One more hook, for figures at /metrics: portal/operations/metrics.py's register_figures, which an
app calls in its AppConfig.ready().
"""

from django.apps import apps
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string


def app_configs_with(attribute):
    """The installed apps' configs that have `attribute`, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if hasattr(config, attribute)]


def home_view():
    """The view of the site's root: the first app's `home`."""
    return import_string(app_configs_with("home")[0].home)


def landing_url(user):
    """Where signing in takes this user when they asked for no page: what the first app's
    `landing` names, else the home page."""
    for config in app_configs_with("landing"):
        if url := import_string(config.landing)(user):
            return url
    return reverse("home")


def navigation_links(request):
    """Template context: `navigation`, the menu's links this user may see, and
    `navigation_by_key`, the same by key (for a breadcrumb). Worked out only when a template
    reads them: a fragment rendered with the request does not pay for the menu's queries."""
    links = SimpleLazyObject(lambda: _visible_links(getattr(request, "user", None)))
    by_key = SimpleLazyObject(lambda: {link["key"]: link for link in links})
    return {"navigation": links, "navigation_by_key": by_key}


def _visible_links(user):
    if user is None or not user.is_authenticated:
        return []
    return [
        {"key": link["key"], "url": reverse(link["url"]), "label": link["label"]}
        for config in app_configs_with("navigation")
        for link in config.navigation
        if import_string(link["visible"])(user)
    ]
