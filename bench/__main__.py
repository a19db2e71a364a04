"""``make bench``: print each benchmark's figures beside the floor measured in this run.

The floor is what Pillow alone needs for a receipt scan (open, JPEG draft, resize to at
most 2000 px, save, and a 320 px thumbnail), see ../shared/design/PERFORMANCE.md.
Later benchmarks (processing, upload API, OCR) are printed as ratios against it.
``--panel-only`` runs the attachments panel alone, ``--load-only`` the upload load run
alone (``bench/load.py``: gunicorn, PostgreSQL, Redis and a Celery worker, beside a
floor of gunicorn only writing the body to disk).

The processing pipeline (``receipts.processing.process_page``: detection, sha256, safe
decoding, orientation, preview, thumbnail, perceptual hash) is timed on the same
receipts and on generated 12 MP and 48 MP phone photos, each beside the floor for the
same input. Peak memory is measured in a fresh process per figure (its peak resident
set size, which counts Pillow's C buffers that tracemalloc does not see).
"""

import io
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

BASE_DIR = Path(__file__).resolve().parent.parent
DATASET = Path(
    os.environ.get("SROIE_DIR", BASE_DIR.parent / "shared" / "datasets" / "sroie-dev")
)
SAMPLES = 20
REPEATS = 3
PHOTOS = {
    "12 MP photo (4000x3000)": (4000, 3000),
    "48 MP photo (8000x6000)": (8000, 6000),
}


def receipt_paths() -> list[Path]:
    paths = sorted((DATASET / "img").glob("*.jpg"))[:SAMPLES]
    if not paths:
        sys.exit(f"No receipt scans under {DATASET}/img (set SROIE_DIR).")
    return paths


def pillow_floor(data: bytes) -> None:
    """The least work any pipeline must do: preview and thumbnail with Pillow alone."""
    with Image.open(io.BytesIO(data)) as image:
        image.draft("RGB", (2000, 2000))
        preview = image.convert("RGB")
        preview.thumbnail((2000, 2000))
        preview.save(io.BytesIO(), "JPEG", quality=85)
        preview.thumbnail((320, 320))
        preview.save(io.BytesIO(), "JPEG", quality=80)


def pillow_full_decode(data: bytes) -> None:
    """The floor without draft mode: every pixel of the photo is decoded."""
    with Image.open(io.BytesIO(data)) as image:
        preview = image.convert("RGB")
        preview.thumbnail((2000, 2000))
        preview.save(io.BytesIO(), "JPEG", quality=85)
        preview.thumbnail((320, 320))
        preview.save(io.BytesIO(), "JPEG", quality=80)


def pipeline(data: bytes) -> None:
    from receipts.processing import process_page

    process_page(data)


FUNCTIONS = {
    "floor": pillow_floor,
    "full-decode": pillow_full_decode,
    "pipeline": pipeline,
}


def median_ms(function, inputs: list[bytes], repeats: int = REPEATS) -> float:
    timings = []
    for data in inputs:
        best = min(_timed(function, data) for _ in range(repeats))
        timings.append(best)
    return statistics.median(timings) * 1000


def _timed(function, data: bytes) -> float:
    start = time.perf_counter()
    function(data)
    return time.perf_counter() - start


def phone_photo(size: tuple[int, int]) -> bytes:
    """A photo-like JPEG as a phone writes it: smooth shapes, sensor noise, EXIF
    orientation 6 (held upright) and a GPS position, quality 90."""
    width, height = size
    light = Image.effect_noise((width // 64, height // 64), 90).resize(size)
    grain = Image.effect_noise(size, 24)
    red = Image.blend(light, grain, 0.3)
    green = Image.linear_gradient("L").resize(size)
    blue = Image.blend(light.transpose(Image.Transpose.ROTATE_180), grain, 0.5)
    photo = Image.merge("RGB", (red, green, blue))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 22.0, 0.0)})
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def peak_memory_mb(function_name: str, path: Path) -> float:
    """The maximum RSS of a fresh process that runs one function over one file."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bench", "--peak", function_name, str(path)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip())


def _peak_child(function_name: str, path: str) -> None:
    _setup_django()
    data = Path(path).read_bytes() if path != "-" else None
    if data is not None:
        FUNCTIONS[function_name](data)
    else:  # the baseline: everything imported, nothing processed
        import receipts.processing  # noqa: F401
    print(_high_water_mark_mb())


def _high_water_mark_mb() -> float:
    """VmHWM, the peak RSS of this process image. ``getrusage``'s ``ru_maxrss`` is no
    use here: Linux carries it over ``exec`` from the parent that forked us."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamut.settings.local")
    import django

    django.setup()


def _row(name: str, value: float, floor: float, unit: str = "ms") -> None:
    print(f"{name:<52} {value:>9.1f} {unit:<3} {value / floor:>7.2f}")


PANEL_SIZES = (1_000, 100_000)
PANEL_REPEATS = 15


def panel_bench() -> None:
    """The voucher entry window with its attachments panel at 1,000 and 100,000
    documents, in a throwaway database (``bench_`` + the configured name, made and
    dropped here; neither the configured database nor pytest's is touched)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )
    from django.urls import reverse

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        database.setdefault("TEST", {})["NAME"] = f"bench_{database['NAME']}"
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        from tests.receipts.panel import many
        from users.models import User

        sender = User.objects.create_user("anna@example.com", "x", first_name="Anna")
        bookkeeper = User.objects.create_superuser("boekhouder@example.com", "x")
        client = Client()
        client.force_login(bookkeeper)
        url = reverse("voucher-entry")
        print(f"attachments panel ({connection.vendor}), GET {url}, 24 shown")
        print(f"{'benchmark':<52} {'median':>13} {'x 1,000':>7}")
        figures = {}
        for size in PANEL_SIZES:
            from receipts.models import Document

            many(sender, size - Document.objects.count())
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE receipts_document")
            client.get(url)  # warm up
            timings = []
            for _ in range(PANEL_REPEATS):
                start = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - start)
                if response.status_code != 200:
                    sys.exit(f"The panel answered {response.status_code}.")
            figures[size] = statistics.median(timings) * 1000
            _row(
                f"  voucher entry with panel, {size:,} documents",
                figures[size],
                figures[PANEL_SIZES[0]],
            )
    finally:
        teardown_databases(old_config, verbosity=0)


def main() -> None:
    _setup_django()
    only_panel = "--panel-only" in sys.argv
    only_load = "--load-only" in sys.argv
    if not (only_panel or only_load):
        processing_bench()
    if not only_load:
        panel_bench()
    if not only_panel:
        from bench.load import load_bench

        problems = load_bench()
        if problems:
            sys.exit("The load run lost or refused uploads:\n" + "\n".join(problems))


def processing_bench() -> None:
    inputs = [path.read_bytes() for path in receipt_paths()]
    floor = median_ms(pillow_floor, inputs)
    print(f"receipts: {len(inputs)} from {DATASET}")
    print(f"{'benchmark':<52} {'median':>13} {'x floor':>7}")
    _row("floor: Pillow preview + thumbnail", floor, floor)
    _row("pipeline: process_page (receipt scan)", median_ms(pipeline, inputs), floor)

    photo_dir = BASE_DIR / "var" / "bench"
    photo_dir.mkdir(parents=True, exist_ok=True)
    photo_paths = {}
    for label, size in PHOTOS.items():
        data = phone_photo(size)
        photo_paths[label] = photo_dir / f"photo-{size[0]}x{size[1]}.jpg"
        photo_paths[label].write_bytes(data)
        photo_floor = median_ms(pillow_floor, [data])
        print(f"{label}, {len(data) / 1e6:.1f} MB JPEG")
        _row("  floor: Pillow draft preview + thumbnail", photo_floor, photo_floor)
        _row("  pipeline: process_page", median_ms(pipeline, [data]), photo_floor)
        _row(
            "  Pillow full decode instead of draft",
            median_ms(pillow_full_decode, [data], repeats=1),
            photo_floor,
        )

    big = photo_paths["48 MP photo (8000x6000)"]
    print("peak memory (peak RSS of a fresh process), 48 MP photo")
    baseline = peak_memory_mb("pipeline", Path("-"))
    floor_peak = peak_memory_mb("floor", big)
    _row("  interpreter + Django + pipeline imported", baseline, floor_peak, "MB")
    _row("  floor: Pillow draft preview + thumbnail", floor_peak, floor_peak, "MB")
    _row("  pipeline: process_page", peak_memory_mb("pipeline", big), floor_peak, "MB")
    _row(
        "  Pillow full decode instead of draft",
        peak_memory_mb("full-decode", big),
        floor_peak,
        "MB",
    )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--peak":
        _peak_child(sys.argv[2], sys.argv[3])
    else:
        main()
