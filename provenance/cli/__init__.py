"""Command line: parse arguments, call the library, render, choose the exit code. Nothing else.

One module per command group, each loaded only when its command runs (or `--help` lists it), so
`provenance --version` and `provenance rules` start without the pipeline:

    check.py     check
    rules.py     rules
    index.py     index add, add-feed, add-sitemap, import, stats, remove, export, rebuild
    ci.py        ci, baseline
    watch.py     watch
    findings.py  findings list, show, ack, resolve, export
    common.py    errors and exit codes, shared options, settings (`config.resolve`), the index, progress

Exit codes (as ruff): 0 no gap at or above --fail-on; 1 gaps; 2 usage, input or internal error.
"""

from __future__ import annotations

from importlib import import_module

import click

from provenance._version import __version__

# command -> "module:function" in this package, in the order `--help` lists them (alphabetical)
COMMANDS = {
    "baseline": "ci:baseline",
    "check": "check:check",
    "ci": "ci:ci",
    "findings": "findings:findings",
    "index": "index:index",
    "rules": "rules:rules",
    "watch": "watch:watch",
}


class LazyGroup(click.Group):
    """A group whose commands are imported when one is looked up, not when the group is."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name].split(":")
        command: click.Command = getattr(import_module(f"provenance.cli.{module}"), name)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="provenance")
@click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Settings file (default: the closest .provenance.toml, provenance.toml or pyproject.toml [tool.provenance]).",
)
@click.pass_context
def main(ctx: click.Context, config_path: str | None) -> None:
    """Where did this news text really come from, and does the page say so honestly?"""
    ctx.obj = config_path
