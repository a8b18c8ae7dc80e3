# syntax=docker/dockerfile:1
# Samverkansportalen: one image for the web server (gunicorn), the Celery worker
# and Celery beat. docker-compose.yml picks the process per service and defines
# the health checks there (a HEALTHCHECK here would mark worker and beat
# unhealthy, since they serve no HTTP).

# The Debian release is pinned so the package names below stay valid.
ARG PYTHON_IMAGE=python:3.13-slim-trixie

# --- build: the virtualenv, translations and static files -------------------
FROM ${PYTHON_IMAGE} AS build

ARG UV_VERSION=0.13.9
ENV PATH=/app/.venv/bin:$PATH \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.13 \
    UV_PROJECT_ENVIRONMENT=/app/.venv

# gettext provides msgfmt for compilemessages; it is not needed at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir "uv==${UV_VERSION}"

WORKDIR /app

# Dependencies first: a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-project

COPY . .
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev

# Settings refuse to load without SECRET_KEY when DEBUG is off; this one only
# lives for these build steps and is never part of the image's environment.
RUN export DEBUG=False SECRET_KEY=build-only-not-a-secret \
    && if find . -path ./.venv -prune -o -name '*.po' -print | grep -q .; then \
         python manage.py compilemessages --ignore=.venv; \
       fi \
    && python manage.py collectstatic --no-input --verbosity 1 \
    && python -m compileall -q portal governance implementation research

# --- runtime ------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# WeasyPrint loads Pango, HarfBuzz (with its subsetter) and fontconfig at run
# time; DejaVu gives PDFs a font that covers Swedish (å, ä, ö). The minutes
# import reads scans with Tesseract's Swedish model (pages drawn by poppler's
# pdftoppm) and restores OCR text against the Swedish word list (wswedish).
# SAML single sign-on signs and checks assertions with xmlsec1 (pysaml2).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        tesseract-ocr \
        tesseract-ocr-swe \
        poppler-utils \
        wswedish \
        xmlsec1 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 portal \
    && useradd --system --uid 10001 --gid portal --create-home --home-dir /home/portal \
        --shell /usr/sbin/nologin portal \
    && mkdir -p /data/media /data/seal \
    && chown portal:portal /data/media /data/seal \
    && chmod 700 /data/seal

# The code and static files stay owned by root: the portal user can read them,
# not change them. Uploaded and generated files go to MEDIA_ROOT (a volume).
COPY --from=build /app /app
# Fail the build, not the first PDF, when a native library or the font is
# missing, or WeasyPrint no longer writes PDF/A-2b tagged PDFs (portal/documents/pdf.py).
RUN /app/.venv/bin/python -c "import weasyprint; assert weasyprint.HTML(string='<p style=\"font-family: DejaVu Sans\">åäö</p>').write_pdf(pdf_variant='pdf/a-2b', pdf_tags=True).startswith(b'%PDF')" \
    && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

# gunicorn reads WEB_CONCURRENCY (workers) and GUNICORN_CMD_ARGS itself, so both
# can be tuned per deployment without a new image. PDFs and large exports run
# in Celery, so a web request that takes a minute is stuck, not busy.
# gthread workers with four threads each, one worker per core: chosen on
# `make bench`'s serving section (README, "Serving and scaling out"), where
# it queued least under the meeting-day mix of the candidates measured.
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    MEDIA_ROOT=/data/media \
    SEAL_DIR=/data/seal \
    WEB_CONCURRENCY=2 \
    GUNICORN_CMD_ARGS="--worker-class gthread --threads 4 --bind 0.0.0.0:8000 --timeout 60 --graceful-timeout 30 --keep-alive 5 --max-requests 1000 --max-requests-jitter 100 --worker-tmp-dir /dev/shm --access-logfile - --no-control-socket"

WORKDIR /app
USER portal
EXPOSE 8000

CMD ["gunicorn", "portal.wsgi"]
