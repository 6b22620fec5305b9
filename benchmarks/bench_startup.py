"""Start-up cost of the command line, against a bare `python -c pass` timed in the same run.

    python -m benchmarks.bench_startup               # 15 rounds
    python -m benchmarks.bench_startup --rounds 31

Each round runs, one after the other, `python -c pass`, `provenance --version`, a cold
`provenance check` of the seed text file with no index (`--no-index`, no discovery: a new process
each time, what a pre-commit hook or a script pays) and the same check against the BBC page; the
figures are medians over the rounds, less the bare interpreter's median. Targets (issue 12):
`--version` at most 0.1 s more, the check of the seed text with no index at most 0.25 s more.
Comparing with an HTML page has no target: it must load numpy, trafilatura and BeautifulSoup,
whose import the last row times alone. Bytecode is written once before timing (a warm-up round without
PYTHONDONTWRITEBYTECODE), as an installed package has it. Where a target is missed, the slowest
imports of that command are listed (`-X importtime`). For reference, the same run times importing
the libraries a check of an HTML page cannot do without (numpy, trafilatura, BeautifulSoup): the
floor under any cold check of an HTML candidate. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "fixtures" / "seed" / "obiaks-kim-jong-un-letter.txt"
BBC_HTML = ROOT / "fixtures" / "seed" / "bbc-kim-jong-un-letter.html"
NO_INDEX = "provenance check (seed text, no index)"
TARGETS = {"provenance --version": 0.10, NO_INDEX: 0.25}


def _provenance() -> list[str]:
    """The console script beside this interpreter (what users run), else `python -m provenance`."""
    script = Path(sys.executable).parent / "provenance"
    if script.is_file():
        return [str(script)]
    found = shutil.which("provenance")
    return [found] if found else [sys.executable, "-m", "provenance"]


def commands() -> dict[str, list[str]]:
    check = ["check", str(SEED_TEXT), "--no-index", "--no-discover"]
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "provenance --version": [*_provenance(), "--version"],
        NO_INDEX: [*_provenance(), *check],
        "provenance check (seed text against the BBC page)": [*_provenance(), *check, "--candidate", str(BBC_HTML)],
        # for reference: what a check of an HTML page cannot do without, whatever the code around it
        "python -c 'import numpy, trafilatura, bs4'": [sys.executable, "-c", "import numpy, trafilatura, bs4"],
    }


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PROVENANCE_DISCOVER="none", NO_COLOR="1")
    return env


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # check exits 1 on gaps
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return elapsed


def measure(rounds: int) -> dict[str, list[float]]:
    env = environment()
    runs = commands()
    for command in runs.values():  # warm-up: bytecode written, files in the page cache
        _time(command, env)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, command in runs.items():
            times[name].append(_time(command, env))
    return times


def slowest_imports(command: list[str], count: int = 12) -> list[str]:
    """The top-level imports that took longest (cumulative), from `-X importtime`."""
    args = command[command.index("--version") :] if "--version" in command else command[command.index("check") :]
    argv = [sys.executable, "-X", "importtime", "-m", "provenance", *args]
    done = subprocess.run(argv, env=environment(), cwd=ROOT, capture_output=True, text=True, check=False)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("   "):
            rows.append((int(parts[1]), parts[2].strip()))
    return [f"{us / 1e6:6.3f} s  {name}" for us, name in sorted(rows, reverse=True)[:count]]


def report(times: dict[str, list[float]]) -> list[str]:
    base = statistics.median(times["python -c pass"])
    lines = [f"{'command':<50} {'median':>8} {'over pass':>10}  target"]
    for name, values in times.items():
        median = statistics.median(values)
        extra = median - base
        target = TARGETS.get(name)
        verdict = "" if target is None else f"+{target:.2f} s {'met' if extra <= target else 'MISSED'}"
        over = "" if name == "python -c pass" else f"{extra:+.3f} s"
        lines.append(f"{name:<50} {median:7.3f}s {over:>10}  {verdict}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Start-up of `provenance --version` and a cold check.")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    times = measure(args.rounds)
    print(f"{args.rounds} rounds, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for line in report(times):
        print(line)
    base = statistics.median(times["python -c pass"])
    for name, command in commands().items():
        target = TARGETS.get(name)
        if target is not None and statistics.median(times[name]) - base > target:
            print(f"\nslowest imports of {name}:")
            for line in slowest_imports(command):
                print("  " + line)


if __name__ == "__main__":
    main()
