"""WSGI entry point for gunicorn: production settings unless CASEWORK_ENV says otherwise."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_ENV", "production")

application = get_wsgi_application()
