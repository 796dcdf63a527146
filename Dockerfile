# Production image: gunicorn serving the platform as a non-root user.
# The same image runs the Celery workers and beat (see compose.yaml).
#
# The platform is installed as a wheel (templates, static files, data and the compiled
# catalogue inside), its dependencies from the hash-checked lock requirements/production.txt:
# no embedded servers (extra `embedded`), no dev tools, no source tree on the path.

# --- build: the wheel -------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY requirements/production.txt requirements/production.txt
RUN pip install --require-hashes -r requirements/production.txt
# The whole checkout but what .dockerignore leaves out (tests, bench, var, .venv): every
# package pyproject.toml lists reaches the wheel, and only the wheel reaches the image.
COPY . .
# The Vietnamese catalogue is compiled into the package (platform/portal/locale) first.
RUN python platform/portal/catalogue.py --all \
 && pip wheel --no-deps --wheel-dir /dist .

# --- runtime ----------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORT=8000

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 fonts-dejavu-core postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 portal

COPY requirements/production.txt /tmp/production.txt
RUN pip install --require-hashes -r /tmp/production.txt && rm /tmp/production.txt
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-deps /tmp/dist/cong_thong_tin-*.whl && rm -rf /tmp/dist

# /app holds manage.py and the collected static files only: the code is the installed wheel.
WORKDIR /app
COPY manage.py ./
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
