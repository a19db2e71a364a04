"""``make bench-ocr``: text recognition and field extraction on the sroie-dev receipts.

For every receipt of ``../shared/datasets/sroie-dev`` (or ``SROIE_DIR``): the image
pipeline makes the preview (as for an uploaded photo), :func:`receipts.ocr.image_text`
reads it and :func:`receipts.extraction.extract` finds the fields. Printed: the share of
exact matches per labelled field after normalisation (company upper case with spaces
collapsed, dates as ISO, totals as decimals) and the median and maximum seconds per
receipt, beside the floor measured in the same run: the plain ``tesseract`` command on
the same preview with the same languages and options, as a ratio.
"""

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
    ours: list[float] = []
    floors: list[float] = []
    misses: list[str] = []
    for path in paths:
        preview = processing.process_page(path.read_bytes()).preview.content
        with tempfile.NamedTemporaryFile(suffix=".jpg") as file:
            file.write(preview)
            file.flush()
            started = time.perf_counter()
            command = [TESSERACT, file.name, "-", "-l", settings.RECEIPTS_OCR_LANGUAGES,
                       "--psm", str(settings.RECEIPTS_OCR_PSM)]  # fmt: skip
            subprocess.run(command, check=True, capture_output=True)  # noqa: S603
            floors.append(time.perf_counter() - started)
            started = time.perf_counter()
            with open(file.name, "rb") as image:
                fields = extraction.extract(ocr.image_text(image))
            ours.append(time.perf_counter() - started)
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
    for line in misses:
        print(line)
    count = len(paths)
    print(f"receipts: {count} from {DATASET}")
    print(
        f"languages: {settings.RECEIPTS_OCR_LANGUAGES}, psm {settings.RECEIPTS_OCR_PSM}"
    )
    for name in LABELLED:
        print(f"{name:<8} {hits[name] / count:>6.0%} exact ({hits[name]}/{count})")
    median, floor = statistics.median(ours), statistics.median(floors)
    print(f"{'seconds per receipt':<32} {'median':>7} {'max':>7}")
    print(f"{'floor: tesseract command':<32} {floor:>7.2f} {max(floors):>7.2f}")
    print(f"{'ours: OCR + extraction':<32} {median:>7.2f} {max(ours):>7.2f}")
    print(f"ratio to the floor (median): {median / floor:.2f}")


if __name__ == "__main__":
    main()
