"""Every accuracy figure in one command: `python -m benchmarks.accuracy` from the repository root.

Extraction (the article-extraction benchmark and WCXB's development articles), overlap and relation
(short-answer reuse corpus) and origin inference (planted copies). The public data sets are read in
place from ../shared/data (or $PROVENANCE_DATA); each part says so and is skipped when its data is absent.
"""

from __future__ import annotations

import sys

from benchmarks.accuracy import extraction, planted, reuse


def main() -> int:
    status = 0
    for title, part in (
        ("Extraction: article-extraction benchmark and WCXB articles", lambda: extraction.main([])),
        ("Overlap and relation: short-answer reuse corpus", reuse.main),
        ("Origin, relation and copied share: planted copies", lambda: planted.main([])),
    ):
        print(f"\n=== {title} ===\n", flush=True)
        status |= part()
    return status


if __name__ == "__main__":
    sys.exit(main())
