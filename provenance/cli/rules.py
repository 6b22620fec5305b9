"""`provenance rules`: the attribution rules, as a table or as the markdown of docs/rules.md."""

from __future__ import annotations

import click


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["table", "markdown"]), default="table", show_default=True)
def rules(fmt: str) -> None:
    """List the attribution rules (docs/rules.md is this command's markdown output)."""
    from provenance.rules import RULES

    if fmt == "markdown":
        from provenance.rules_doc import rules_markdown

        click.echo(rules_markdown(RULES), nl=False)
        return
    for rule in RULES:
        click.echo(f"{rule.id}  {rule.name:<28} {rule.severity.value:<8} {rule.summary}")
