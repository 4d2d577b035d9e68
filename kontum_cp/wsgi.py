"""WSGI entry point (gunicorn kontum_cp.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
application = get_wsgi_application()
