from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

from .metrics import exposition, may_scrape


# Exempt from CSRF so that a POST, too, meets the 404 below: a 403 would say the page exists.
@csrf_exempt
@never_cache
def metrics(request):
    """Prometheus's page: the configured scraper and programme officers read it; to everyone
    else it is a page that does not exist."""
    if not may_scrape(request):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)
