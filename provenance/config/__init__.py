"""Settings: what a user writes in a settings file, and every precedence rule.

- `file`: finding and reading `.provenance.toml`, `provenance.toml` or `[tool.provenance]` in
  `pyproject.toml` (the closest wins, as ruff's do; `--config FILE` names one), into a `Config`
  (`tables`: one dataclass per table; `values`: the checks of each value; `partners`, `watch`);
- `resolve`: built-in defaults < the settings file < the environment < command-line flags, in
  `resolve(file, env, flags) -> Resolved`, the one place that says which wins.
"""

from provenance.config.file import find, load, parse
from provenance.config.resolve import (
    DEFAULT_BUDGET,
    DEFAULT_MAX_FETCHES,
    STRATEGIES,
    WAYBACK_ENDPOINT,
    WEBHOOK_ENV,
    DiscoveryOptions,
    Flags,
    Resolved,
    index_location,
    resolve,
    watch_fail_on,
)
from provenance.config.tables import CiPolicy, Config, Discovery, Partner, Watch, WatchSource
from provenance.config.values import SEVERITY_NAMES, duration, since_value

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_MAX_FETCHES",
    "SEVERITY_NAMES",
    "STRATEGIES",
    "WAYBACK_ENDPOINT",
    "WEBHOOK_ENV",
    "CiPolicy",
    "Config",
    "Discovery",
    "DiscoveryOptions",
    "Flags",
    "Partner",
    "Resolved",
    "Watch",
    "WatchSource",
    "duration",
    "find",
    "index_location",
    "load",
    "parse",
    "resolve",
    "since_value",
    "watch_fail_on",
]
