"""/api/v1/: the read-only API (docs/api.md). Every view is let past the portal's sign-in redirect
(LoginRequiredMiddleware): the API answers an anonymous caller 401 itself, with its own authentication
(a personal token or the session) and the role rules of `api.permissions`."""
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views
from .docs import DocsView

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("plans", views.PlanViewSet, basename="plan")
router.register("targets", views.TargetViewSet, basename="target")
router.register("publications", views.PublicationViewSet, basename="publication")
router.register("establishments", views.EstablishmentViewSet, basename="establishment")
router.register("reports", views.AnnualReportViewSet, basename="report")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("assistance", views.AssistanceViewSet, basename="assistance")
router.register("events", views.EventViewSet, basename="event")
router.register("attendance", views.AttendanceViewSet, basename="attendance")

urlpatterns = [
    path("progress/", views.ProgressView.as_view(), name="progress"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's stylesheet draws its icons as data: SVG images; this page alone allows them.
    path("docs/", csp_update({"img-src": ["data:"]})(DocsView.as_view(url_name="api:schema")), name="docs"),
    *router.urls,
]
for pattern in urlpatterns:
    login_not_required(pattern.callback)
