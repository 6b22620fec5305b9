"""A few dozen cases of benchmarks/fuzz.py, one of each class and command, through the real CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.fuzz import PLAN

ROOT = Path(__file__).resolve().parent.parent


def test_a_round_of_every_fuzz_class_ends_without_internal_error_or_hang():
    # In a process of its own: the fuzzer forks per case, which a test process with threads should not do.
    cases = len(PLAN)
    done = subprocess.run([sys.executable, "-m", "benchmarks.fuzz", "--cases", str(cases), "--workers", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split("|") for line in done.stdout.splitlines() if line.startswith("| ") and "class" not in line]
    assert len(rows) == len(PLAN) + 1  # every class and command, and the total
    total = [cell.strip(" *") for cell in rows[-1]]
    assert total[3] == str(cases) and total[6:9] == ["0", "0", "0"]  # internal error, hang, raw control
