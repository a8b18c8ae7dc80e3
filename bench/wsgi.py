"""The portal's WSGI application with the floor view mounted (`bench.urls`),
for the gunicorn that `make bench` starts. Everything else is as in
production: the same settings, middleware and URLs.

BENCH_CACHE_PREFIX keeps each bench database's cached panels apart in the one
Redis: the programmes of the scale-1 and scale-10 databases share ids."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

# Before the first use of the cache, which reads CACHES once.
settings.CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")
application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"  # resolved per request, so set before the first one
