# Production image: gunicorn serving the platform as a non-root user.
# The same image runs the Celery worker and beat (see compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PYTHONPATH=/app:/app/platform \
    PORT=8000

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 portal

WORKDIR /app
COPY pyproject.toml README.md ./
COPY platform ./platform
COPY tenants ./tenants
COPY component_sites ./component_sites
COPY tasks ./tasks
COPY themes ./themes
COPY manage.py ./
COPY locale ./locale
RUN pip install --no-cache-dir . && python -m portal.catalogue

# collectstatic needs settings but no database: give it throwaway values.
RUN SECRET_KEY=collectstatic DATABASE_URL=postgres://x@localhost/x REDIS_URL=redis://localhost \
    CONTROL_DOMAINS=localhost STATIC_ROOT=/app/static \
    python manage.py collectstatic --noinput -v 0 \
 && mkdir -p /app/media && chown -R portal:portal /app/media

ENV STATIC_ROOT=/app/static MEDIA_ROOT=/app/media
USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import os,urllib.request,sys; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\",\"8000\")}/healthz', timeout=4); sys.exit(0)"
CMD ["sh", "-c", "gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-3} --threads 4 --access-logfile -"]
