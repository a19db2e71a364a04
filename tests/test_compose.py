"""docker-compose.yml is read, not run (no Docker engine here): it must agree."""

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


def load_compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def settings_variables() -> set[str]:
    """Every variable the settings read through ``env``."""
    names = set()
    for path in (BASE_DIR / "mamut" / "settings").glob("*.py"):
        names.update(
            re.findall(r"env(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]+)\"", path.read_text())
        )
    return names


def test_compose_has_the_production_services():
    services = load_compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)


def test_web_worker_and_beat_share_one_definition_and_image():
    services = load_compose()["services"]
    images = {services[name].get("image") for name in ("web", "worker", "beat")}
    assert len(images) == 1 and None not in images
    env_files = [services[name]["environment"] for name in ("web", "worker", "beat")]
    assert env_files[0] == env_files[1] == env_files[2]


def test_web_runs_gunicorn_and_worker_runs_celery():
    services = load_compose()["services"]
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_database_and_media_live_in_named_volumes():
    compose = load_compose()
    volumes = set(compose["volumes"])
    services = compose["services"]
    postgres_volumes = [v.split(":")[0] for v in services["postgres"]["volumes"]]
    web_volumes = [v.split(":")[0] for v in services["web"]["volumes"]]
    assert set(postgres_volumes) & volumes
    assert set(web_volumes) & volumes


def test_compose_environment_uses_only_variables_the_settings_read():
    services = load_compose()["services"]
    environment = services["web"]["environment"]
    known = settings_variables() | {"DJANGO_SETTINGS_MODULE"}
    assert set(environment) <= known, set(environment) - known
    assert environment["DJANGO_SETTINGS_MODULE"] == "mamut.settings.production"
    for required in ("DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY"):
        assert required in environment


def test_compose_urls_point_at_the_compose_services():
    environment = load_compose()["services"]["web"]["environment"]
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:6379/")


def test_env_example_documents_every_variable_the_settings_read():
    documented = set(
        re.findall(
            r"^#?\s*([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M
        )
    )
    missing = settings_variables() - documented
    assert not missing, missing


def test_dockerfile_installs_from_the_lock_file():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert "uv.lock" in dockerfile
    assert "--frozen" in dockerfile


def test_the_installed_libraries_are_compiled_to_bytecode():
    # With PYTHONDONTWRITEBYTECODE set and no .pyc, every web and Celery worker would
    # compile its imports at each start (make install and the image compile them).
    import celery
    import django.db.models.query
    import redis.commands.core
    import rest_framework.serializers

    for module in (
        django.db.models.query,
        rest_framework.serializers,
        celery,
        redis.commands.core,
    ):
        source = module.__file__
        assert Path(importlib.util.cache_from_source(source)).exists(), source
    assert "--compile-bytecode" in (BASE_DIR / "Dockerfile").read_text()


def test_every_routed_queue_is_consumed_by_the_workers(settings):
    queues = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    queues.add(settings.CELERY_TASK_DEFAULT_QUEUE)
    assert "ocr" in queues
    worker = " ".join(load_compose()["services"]["worker"]["command"])
    makefile = (BASE_DIR / "Makefile").read_text()
    conftest = (BASE_DIR / "conftest.py").read_text()
    for text in (worker, makefile, conftest):
        listed = re.search(r"--queues=([\w,]+)", text)
        assert listed and queues <= set(listed.group(1).split(",")), text[:80]


def test_the_image_and_ci_install_tesseract_with_dutch_and_english():
    for path in ("Dockerfile", ".ci/run"):
        text = (BASE_DIR / path).read_text()
        for package in ("tesseract-ocr", "tesseract-ocr-nld", "tesseract-ocr-eng"):
            assert re.search(rf"(?<![\w-]){package}(?![\w-])", text), (path, package)


def test_web_migrates_the_database_before_it_serves():
    command = " ".join(load_compose()["services"]["web"]["command"])
    assert re.search(r"manage\.py migrate --noinput && exec gunicorn ", command)


def test_every_app_container_reads_the_operators_env_file():
    # Without env_file only the variables named in the file would reach Django, and
    # RECEIPTS_*, LOGIN_*, LOG_LEVEL ... set in .env would be silently ignored.
    services = load_compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["env_file"] == ".env", name


@pytest.mark.django_db
def test_the_health_check_passes_when_only_the_public_host_is_allowed(client, settings):
    from mamut.healthcheck import allowed_host

    settings.ALLOWED_HOSTS = ["scanner.example.nl", ".example.org"]
    healthcheck = load_compose()["services"]["web"]["healthcheck"]["test"]
    assert healthcheck[-2:] == ["-m", "mamut.healthcheck"]

    plain = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    checked = client.get(
        "/healthz", HTTP_HOST=allowed_host("scanner.example.nl,.example.org")
    )

    assert plain.status_code == 400  # why the check sends an allowed Host
    assert checked.status_code == 200
    assert allowed_host(".example.org") == "example.org"
    assert allowed_host("*") == allowed_host("") == "localhost"
