"""``make bench``: print each benchmark's figures beside the floor measured in this run.

The floor is what Pillow alone needs for a receipt scan (open, JPEG draft, resize to at
most 2000 px, save, and a 320 px thumbnail), see ../shared/design/PERFORMANCE.md.
Later benchmarks (processing, upload API, OCR) are printed as ratios against it.
"""

import io
import os
import statistics
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


def median_ms(function, inputs: list[bytes]) -> float:
    timings = []
    for data in inputs:
        best = min(_timed(function, data) for _ in range(REPEATS))
        timings.append(best)
    return statistics.median(timings) * 1000


def _timed(function, data: bytes) -> float:
    start = time.perf_counter()
    function(data)
    return time.perf_counter() - start


def main() -> None:
    inputs = [path.read_bytes() for path in receipt_paths()]
    floor = median_ms(pillow_floor, inputs)
    print(f"receipts: {len(inputs)} from {DATASET}")
    print(f"{'benchmark':<40} {'median ms':>10} {'x floor':>8}")
    print(f"{'floor: Pillow preview + thumbnail':<40} {floor:>10.1f} {1.0:>8.2f}")


if __name__ == "__main__":
    main()
