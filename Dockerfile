# Casework's application image: one image for the app servers and the job runner.
FROM python:3.11-slim-bookworm

# WeasyPrint's text layout, the letter fonts and pg_dump for backups (as
# scripts/system-packages, without the browser the tests drive).
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 casework
WORKDIR /srv/casework

COPY requirements.lock ./
RUN python -m venv /srv/venv \
    && /srv/venv/bin/pip install --quiet --no-cache-dir --require-hashes --no-deps -r requirements.lock
ENV PATH="/srv/venv/bin:$PATH" \
    CASEWORK_ENV=production \
    CASEWORK_VAR_DIR=/srv/var \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

COPY . .
# collectstatic reads the settings, which insist on production values: placeholders here.
RUN DJANGO_SECRET_KEY=collectstatic-only DJANGO_ALLOWED_HOSTS=build \
    CASEWORK_AUDIT_KEY=collectstatic-only-not-a-real-audit-key-000000 \
    CASEWORK_BASE_URL=https://build.invalid DJANGO_STATIC_ROOT=/srv/static \
    python manage.py collectstatic --noinput -v0 \
    && mkdir -p /srv/var && chown casework /srv/var

USER casework
ENV DJANGO_STATIC_ROOT=/srv/static
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
