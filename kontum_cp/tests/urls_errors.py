"""Test-only URLconf: the portal's URLs plus a page that fails, to see the 500 page."""
from django.urls import path

from kontum_cp.urls import handler400, handler403, handler404, handler500, urlpatterns as portal_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("A failure on purpose, for the 500 page test.")


urlpatterns = [path("test-broken/", broken), *portal_urlpatterns]
