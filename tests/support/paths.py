"""Where the fixture files are: fixtures/ at the repository root, and the ones many tests name."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SEED_HTML = FIXTURES / "seed" / "obiaks-kim-jong-un-letter.html"
SEED_TEXT = FIXTURES / "seed" / "obiaks-kim-jong-un-letter.txt"
BBC_HTML = FIXTURES / "seed" / "bbc-kim-jong-un-letter.html"
FAMILY = FIXTURES / "family"
