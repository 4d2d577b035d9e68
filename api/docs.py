"""The browsable documentation at /api/v1/docs/: Swagger UI from the portal's own static files
(drf-spectacular-sidecar), its start-up script served as a file of its own (the split view), so the page
keeps the Content-Security-Policy of the portal: no inline script or style, nothing from outside."""
from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
