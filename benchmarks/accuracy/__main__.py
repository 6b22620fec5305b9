"""Every accuracy figure in one command: `python -m benchmarks.accuracy` from the repository root.

Extraction (the article-extraction benchmark and WCXB's development articles), copy or independent
on real news (realnews-dev), overlap and relation (short-answer reuse corpus), origin inference
(planted copies) and credits on real pages (realnews-dev). The public data sets are read in place
from ../shared/data (or $PROVENANCE_DATA); each part says so and is skipped when its data is absent.
"""

from __future__ import annotations

import sys

from benchmarks.accuracy import credits, extraction, planted, realnews, reuse


def main() -> int:
    status = 0
    for title, part in (
        ("Extraction: article-extraction benchmark and WCXB articles", lambda: extraction.main([])),
        ("Copy or independent: real same-event news pairs", lambda: realnews.main([])),
        ("Overlap and relation: short-answer reuse corpus", reuse.main),
        ("Origin, relation and copied share: planted copies", lambda: planted.main([])),
        ("Credits on real pages: realnews-dev", credits.main),
    ):
        print(f"\n=== {title} ===\n", flush=True)
        status |= part()
    return status


if __name__ == "__main__":
    sys.exit(main())
