"""The portal's WSGI application with the floor view mounted (`bench.urls`),
for the gunicorn that `make bench` starts. Everything else is as in
production: the same settings, middleware and URLs."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"  # resolved per request, so set before the first one
