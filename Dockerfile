# One image for web (gunicorn), worker and beat; see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
       tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
# Compiled once here: PYTHONDONTWRITEBYTECODE keeps every process from writing .pyc,
# so without it each gunicorn and Celery worker would compile its imports at start.
RUN uv sync --frozen --no-dev --no-install-project --compile-bytecode

COPY . .
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    DJANGO_SETTINGS_MODULE=mamut.settings.production \
    python manage.py compilemessages --ignore=.venv \
    && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    DJANGO_SETTINGS_MODULE=mamut.settings.production \
    python manage.py collectstatic --noinput \
    && python -m compileall -q mamut users integrations vouchers receipts phone

RUN useradd --system --uid 1000 mamut && mkdir -p /data/media && chown mamut /data/media
USER mamut
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn mamut.wsgi:application --bind 0.0.0.0:8000"]
