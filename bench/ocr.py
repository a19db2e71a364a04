"""``make bench-ocr``: text recognition and field extraction on the sroie-dev receipts.

For every receipt of ``../shared/datasets/sroie-dev`` (or ``SROIE_DIR``): the image
pipeline makes the preview (as for an uploaded photo) and
:func:`receipts.ocr.image_read` reads it and finds the fields
(:mod:`receipts.extraction`), with a second pass where the first one's fields are
doubtful. Printed: the share of
exact matches per labelled field after normalisation (company upper case with spaces
collapsed, dates as ISO, totals as decimals), the currency (every receipt of the set is
Malaysian, so ``MYR``), how often a VAT amount and rate were found (the set has no VAT
labels), and the median and maximum seconds per receipt, wall clock and CPU (ours: this
process and tesseract's), beside the floor measured in the same run: the plain
``tesseract`` command on the same preview with the same languages and mode, as a ratio.
The CPU seconds are the figure to read on a busy machine.

Then the generated Dutch and English receipts of ``tests/receipts/generated.py``, each
in every rendering: per field, how many were read right.

``BENCH_OCR_LIMIT=20`` reads the first 20 receipts only; ``BENCH_OCR_VERBOSE=1`` prints
every miss.
"""

import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATASET = Path(
    os.environ.get("SROIE_DIR", BASE_DIR.parent / "shared" / "datasets" / "sroie-dev")
)
TESSERACT = shutil.which("tesseract")
LABELLED = ("company", "date", "total")
FIELD_OF_LABEL = {"company": "supplier", "date": "date", "total": "total"}
FOUND_ONLY = ("vat_amount", "vat_rate")


def cpu_seconds(*, children_only: bool = False) -> float:
    """CPU seconds used so far by the subprocesses (and this process)."""
    times = os.times()
    used = times.children_user + times.children_system
    return used if children_only else used + times.user + times.system


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mamut.settings.local")
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import django

    django.setup()
    from django.conf import settings

    from receipts import extraction, ocr, processing

    if not ocr.ocr_available() or TESSERACT is None:
        sys.exit("tesseract (with the languages of RECEIPTS_OCR_LANGUAGES) is missing.")
    paths = sorted((DATASET / "img").glob("*.jpg"))
    if not paths:
        sys.exit(f"No receipt scans under {DATASET}/img (set SROIE_DIR).")
    limit = int(os.environ.get("BENCH_OCR_LIMIT", "0")) or len(paths)
    paths = paths[:limit]
    hits = dict.fromkeys(LABELLED, 0)
    found = dict.fromkeys(FOUND_ONLY, 0)
    currency_hits = 0
    ours: list[float] = []
    ours_cpu: list[float] = []
    floors: list[float] = []
    floors_cpu: list[float] = []
    misses: list[str] = []
    second_passes = third_passes = 0
    for path in paths:
        preview = processing.process_page(path.read_bytes()).preview.content
        with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
            file.write(preview)
            file.flush()
            started, started_cpu = time.perf_counter(), cpu_seconds(children_only=True)
            command = [TESSERACT, file.name, "-", "-l", settings.RECEIPTS_OCR_LANGUAGES,
                       "--psm", str(settings.RECEIPTS_OCR_PSM)]  # fmt: skip
            subprocess.run(command, check=True, capture_output=True)  # noqa: S603
            floors.append(time.perf_counter() - started)
            floors_cpu.append(cpu_seconds(children_only=True) - started_cpu)
            started, started_cpu = time.perf_counter(), cpu_seconds()
            with open(file.name, "rb") as image:
                result = ocr.image_read(image)
            fields = result.fields
            second_passes += result.passes > 1
            third_passes += result.passes > 2
            ours.append(time.perf_counter() - started)
            ours_cpu.append(cpu_seconds() - started_cpu)
        label = json.loads((DATASET / "key" / f"{path.stem}.json").read_text())
        expected = {
            "company": extraction.normalise_company(label.get("company", "")),
            "date": extraction.normalise_date(label.get("date", "")),
            "total": extraction.normalise_total(label.get("total", "")),
        }
        for name in LABELLED:
            field = fields.get(FIELD_OF_LABEL[name])
            got = field.value if field else ""
            if name == "company":
                got = extraction.normalise_company(got)
            if got == expected[name]:
                hits[name] += 1
            elif os.environ.get("BENCH_OCR_VERBOSE"):
                misses.append(f"{path.stem} {name}: {got!r} != {expected[name]!r}")
        for name in FOUND_ONLY:
            found[name] += name in fields
        currency_hits += "currency" in fields and fields["currency"].value == "MYR"
    for line in misses:
        print(line)
    count = len(paths)
    print(f"receipts: {count} from {DATASET}")
    print(
        f"languages: {settings.RECEIPTS_OCR_LANGUAGES}, psm {settings.RECEIPTS_OCR_PSM}"
        f", images narrower than {ocr.OCR_WIDTH} px enlarged to it"
    )
    print(
        f"second pass (psm {settings.RECEIPTS_OCR_SECOND_PSM}) where the first was "
        f"doubtful: {second_passes}/{count}; third (psm "
        f"{settings.RECEIPTS_OCR_THIRD_PSM}) where they disagreed on the date or "
        f"found none: {third_passes}/{count}"
    )
    for name in LABELLED:
        print(f"{name:<11} {hits[name] / count:>6.0%} exact ({hits[name]}/{count})")
    print(
        f"{'currency':<11} {currency_hits / count:>6.0%} MYR ({currency_hits}/{count})"
    )
    for name in FOUND_ONLY:
        print(f"{name:<11} {found[name] / count:>6.0%} found ({found[name]}/{count})")
    print(f"{'seconds per receipt':<32} {'median':>7} {'max':>7} {'CPU':>8} {'max':>7}")
    for title, wall, cpu in (
        ("floor: tesseract command", floors, floors_cpu),
        ("ours: OCR + extraction", ours, ours_cpu),
    ):
        print(
            f"{title:<32} {statistics.median(wall):>7.2f} {max(wall):>7.2f}"
            f" {statistics.median(cpu):>8.2f} {max(cpu):>7.2f}"
        )
    print(
        "ratio to the floor (median): "
        f"{statistics.median(ours) / statistics.median(floors):.2f} wall, "
        f"{statistics.median(ours_cpu) / statistics.median(floors_cpu):.2f} CPU"
    )
    generated_read()


def generated_read() -> None:
    """The generated Dutch and English receipts (tests/receipts/generated.py), each
    in every rendering, read as an upload is: per field, how many were read right."""
    from receipts import ocr, processing
    from receipts.extraction import FIELD_NAMES
    from tests.receipts.generated import RECEIPTS, RENDERINGS, receipt_jpeg

    right: dict[str, int] = {}
    asked: dict[str, int] = {}
    misses: list[str] = []
    for receipt in RECEIPTS:
        for number, rendering in enumerate(RENDERINGS):
            preview = processing.process_page(receipt_jpeg(receipt, rendering))
            fields = ocr.image_read(io.BytesIO(preview.preview.content)).fields
            for name, expected in receipt.fields.items():
                got = fields[name].value if name in fields else ""
                asked[name] = asked.get(name, 0) + 1
                right[name] = right.get(name, 0) + (got == expected)
                if got != expected:
                    misses.append(
                        f"{receipt.name} ({number}) {name}: {got!r} != {expected!r}"
                    )
    if os.environ.get("BENCH_OCR_VERBOSE"):
        for line in misses:
            print(line)
    print(
        f"generated receipts (tests/receipts/generated.py): {len(RECEIPTS)} in "
        f"{len(RENDERINGS)} renderings (a till font, then proportional fonts skewed "
        "and blurred)"
    )
    for name in FIELD_NAMES:
        if name in asked:
            share = right[name] / asked[name]
            print(f"{name:<14} {share:>6.0%} right ({right[name]}/{asked[name]})")


if __name__ == "__main__":
    main()
