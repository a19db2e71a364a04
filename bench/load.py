"""The upload API under load: many phones sending receipts at once, on loopback.

``run_uploads`` sends ``uploads`` real receipt images from ``clients`` concurrent
clients (threads, one ``httpx.Client`` each), each with its own mobile user's token and
a fresh ``Idempotency-Key`` per upload, and records the latency of every answer.
``wait_ready`` then polls the API (each user's document list) until every document is
``ready``. The same code runs the ``services`` test (fewer uploads, asserting that none
fails or gets lost) and ``make bench``, which times it against gunicorn and a real
Celery worker with PostgreSQL and Redis, beside a floor measured in the same run:
the same gunicorn configuration serving ``bench.floor`` (a WSGI app that only writes
the body to disk), hit with the same uploads.
"""

import logging
import os
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import httpx

BASE_DIR = Path(__file__).resolve().parent.parent
DATASET = Path(
    os.environ.get("SROIE_DIR", BASE_DIR.parent / "shared" / "datasets" / "sroie-dev")
)
FALLBACK = BASE_DIR / "tests" / "data" / "receipts"
UPLOAD_PATH = "/api/v1/receipts/"
UPLOADS = int(os.environ.get("BENCH_LOAD_UPLOADS", "200"))
# (concurrent clients, gunicorn workers): the run, then the peer's two.
CONFIGURATIONS = ((20, 2), (8, 1), (8, 2))


def receipt_files() -> list[tuple[str, bytes]]:
    """The receipt scans of sroie-dev (``SROIE_DIR``), else the test receipts."""
    paths = sorted((DATASET / "img").glob("*.jpg")) or sorted(FALLBACK.glob("*.jpg"))
    return [(path.name, path.read_bytes()) for path in paths]


@dataclass
class LoadRun:
    uploads: int
    clients: int
    started: float = 0.0
    seconds: float = 0.0  # until the last upload was answered
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # document id -> the token of the user who sent it
    documents: dict[str, str] = field(default_factory=dict)
    ready_seconds: float | None = None  # from the first upload until all are ready
    lost: list[str] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99(self) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100)[98] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


def run_uploads(
    base_url: str,
    tokens: list[str],
    files: list[tuple[str, bytes]],
    *,
    uploads: int,
    clients: int,
) -> LoadRun:
    """Upload ``uploads`` files from ``clients`` threads at once; client ``c`` sends
    uploads ``c``, ``c + clients``, ... one after the other with ``tokens[c]``."""
    if len(tokens) < clients:
        raise ValueError("one token per client")
    run = LoadRun(uploads=uploads, clients=clients)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        token = tokens[number]
        with httpx.Client(base_url=base_url, timeout=60) as http:
            start.wait()
            for index in range(number, uploads, clients):
                name, data = files[index % len(files)]
                began = time.perf_counter()
                try:
                    answer = http.post(
                        UPLOAD_PATH,
                        headers={
                            "Authorization": f"Bearer {token}",
                            "Idempotency-Key": str(uuid.uuid4()),
                        },
                        data={"kind": "receipt"},
                        files={"file": (name, data, "image/jpeg")},
                    )
                except httpx.HTTPError as error:
                    with lock:
                        run.errors.append(f"{name}: {type(error).__name__} {error}")
                    continue
                latency = time.perf_counter() - began
                with lock:
                    if answer.status_code != 201:
                        run.errors.append(
                            f"{name}: {answer.status_code} {answer.text[:200]}"
                        )
                        continue
                    run.latencies.append(latency)
                    document = answer.json().get("id")
                    if document:  # the floor answers without one
                        run.documents[str(document)] = token

    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(client, number) for number in range(clients)]
        start.wait()
        run.started = time.perf_counter()
        for future in futures:
            future.result()
    run.seconds = time.perf_counter() - run.started
    return run


def wait_ready(base_url: str, run: LoadRun, *, timeout: float = 300) -> LoadRun:
    """Poll each sender's document list until every uploaded document is ``ready``.

    A document that ends ``failed``, or is not ready within ``timeout`` seconds, is
    recorded in ``run.lost``.
    """
    pending = dict(run.documents)
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=base_url, timeout=30) as http:
        while pending and time.monotonic() < deadline:
            for token in set(pending.values()):
                for document, status in _statuses(http, token).items():
                    if document not in pending:
                        continue
                    if status == "ready":
                        del pending[document]
                    elif status == "failed":
                        del pending[document]
                        run.lost.append(f"{document}: failed")
            if pending:
                time.sleep(0.2)
    run.lost.extend(f"{document}: not ready in {timeout:.0f} s" for document in pending)
    if not run.lost:
        run.ready_seconds = time.perf_counter() - run.started
    return run


def _statuses(http: httpx.Client, token: str) -> dict[str, str]:
    """Every document of the token's user with its status, following the pages."""
    statuses: dict[str, str] = {}
    url: str | None = UPLOAD_PATH
    while url:
        answer = http.get(url, headers={"Authorization": f"Bearer {token}"})
        answer.raise_for_status()
        body = answer.json()
        statuses.update({item["id"]: item["status"] for item in body["results"]})
        url = body.get("next")
    return statuses


class TreeMemory:
    """The peak resident set size of a process and all its descendants, sampled
    from /proc every 50 ms in a background thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = sum(_rss(pid) for pid in _tree(self.pid))
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(0.05)


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for child in _children(pid):
        pids.extend(_tree(child))
    return pids


def _children(pid: int) -> list[int]:
    try:
        tasks = Path(f"/proc/{pid}/task").iterdir()
        return [
            int(child)
            for task in tasks
            for child in (task / "children").read_text().split()
        ]
    except OSError:
        return []


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# --- make bench -------------------------------------------------------------------


def load_bench() -> list[str]:
    """Time the configurations against their floors; the problems found, if any.

    Runs in a throwaway database (``benchload_`` + the configured name, made and
    dropped here), with gunicorn (configured by gunicorn.conf.py) and a Celery
    worker (solo pool, as the tests start them) on this machine's PostgreSQL and
    Redis. Text recognition is off for the worker: "ready" is the end of image
    processing, and ``make bench-ocr`` times OCR.
    """
    from tests.resources import services_missing_reason

    missing = services_missing_reason()
    if missing:
        print(
            f"upload load run SKIPPED: {missing}. Set DATABASE_URL=postgres://... and "
            "REDIS_URL=redis://... (PostgreSQL and Redis on loopback) to run it."
        )
        return []

    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"benchload_{database['NAME']}"
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        return _load_bench_in(connection)
    finally:
        teardown_databases(old_config, verbosity=0)


def _load_bench_in(connection) -> list[str]:
    from knox.models import AuthToken

    from conftest import WorkerProcess, activate_scanner, service_env
    from tests.receipts.factories import mobile_user
    from tests.services.conftest import WebProcess, free_port
    from users.models import User

    activate_scanner(User.objects.create_superuser("beheer@example.com", "x"))
    (BASE_DIR / "var").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="load-", dir=BASE_DIR / "var"))
    (workdir / "floor").mkdir()
    env = service_env(
        SimpleNamespace(MEDIA_ROOT=workdir / "media"),
        RECEIPTS_OCR_ENABLED="false",
        BENCH_FLOOR_DIR=str(workdir / "floor"),
    )
    files = receipt_files()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    connection.close()  # the servers use the database from here on
    problems: list[str] = []
    print(
        f"upload API under load: {UPLOADS} uploads of {len(files)} receipt scans "
        f"(median {statistics.median(len(d) for _, d in files) / 1000:.0f} KB), "
        f"gunicorn ({_gunicorn_workers()}) + PostgreSQL + Redis + 1 Celery worker "
        "(solo pool, OCR off)"
    )
    print(
        f"{'run':<44} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>7} "
        f"{'p50 x fl':>8} {'p99 x fl':>8}"
    )
    worker = WorkerProcess(env).start()
    try:
        with TreeMemory(worker.pid) as memory:
            for clients, workers in CONFIGURATIONS:
                tokens = [
                    AuthToken.objects.create(mobile_user())[1] for _ in range(clients)
                ]
                connection.close()
                web = WebProcess(env, free_port(), workers=workers)
                ours = _serve(web, tokens, files, clients)
                floor = _serve(
                    WebProcess(
                        env, free_port(), workers=workers, app="bench.floor:application"
                    ),
                    tokens,
                    files,
                    clients,
                )
                label = f"{clients} clients, {workers} gunicorn worker(s)"
                print(label)
                _load_row("  floor: gunicorn writing the body to disk", floor, floor)
                _load_row("  ours: POST /api/v1/receipts/", ours, floor)
                ready = f"{ours.ready_seconds:.1f} s" if ours.ready_seconds else "never"
                print(
                    f"  all {len(ours.documents)} ready after {ready} "
                    f"(uploads took {ours.seconds:.1f} s); "
                    f"errors {len(ours.errors) + len(floor.errors)}, "
                    f"lost {len(ours.lost)}"
                )
                problems += [f"{label}: {e}" for e in ours.errors + floor.errors]
                problems += [f"{label}: lost {e}" for e in ours.lost]
        print(
            f"Celery worker peak memory (RSS of its process tree): "
            f"{memory.peak_bytes / 2**20:.0f} MiB"
        )
    finally:
        worker.stop()
        worker.log.close()
        shutil.rmtree(workdir, ignore_errors=True)
    return problems


def _gunicorn_workers() -> str:
    """The worker class and threads of gunicorn.conf.py, as gunicorn reads them."""
    import runpy

    conf = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    return f"{conf['worker_class']}, {conf['threads']} threads per worker"


def _serve(web, tokens: list[str], files, clients: int) -> LoadRun:
    web.start()
    try:
        for token in tokens:  # warm up, each on a connection of its own (kept
            # alive, one connection would reach one worker only)
            httpx.get(
                f"{web.url}/api/v1/me/",
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
        run = run_uploads(web.url, tokens, files, uploads=UPLOADS, clients=clients)
        if run.documents:
            wait_ready(web.url, run)
        return run
    finally:
        web.stop()


def _load_row(name: str, run: LoadRun, floor: LoadRun) -> None:
    if not run.latencies or not floor.latencies:
        print(f"{name:<44} no answer")
        return
    print(
        f"{name:<44} {run.p50:>8.1f} {run.p99:>8.1f} {run.rate:>7.1f} "
        f"{run.p50 / floor.p50:>8.2f} {run.p99 / floor.p99:>8.2f}"
    )
