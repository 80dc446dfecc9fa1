"""The portal's URLs and the benchmarks' floor: a view that answers a constant response, so a
page's throughput can be quoted as a fraction of what the middleware stack alone allows.
Used only through bench.settings; production's portal.urls never includes it."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns

FLOOR_BODY = b"floor\n"


def floor(request):
    # The middleware has already loaded the session and the user, as for any page.
    return HttpResponse(FLOOR_BODY, content_type="text/plain")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *portal_urlpatterns]
