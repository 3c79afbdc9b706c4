"""The requirement table in use, for `fellowcheck requirements`."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from fellowcheck.model import Kind, RequirementTable, Rule
from fellowcheck.report import RenderOptions
from fellowcheck.report.words import amount, number


def rule_text(rule: Rule, unit) -> str:
    if rule.kind is Kind.NOT_APPLICABLE:
        return "not applicable"
    if rule.kind is Kind.ELECTIVE:
        return f"elective, max {amount(rule.max, unit)}" if rule.max is not None else "elective"
    if rule.max is not None and rule.max != rule.min:
        return f"required {number(rule.min)}-{amount(rule.max, unit)}"
    return f"required {amount(rule.min, unit)}"


def render_requirements(table: RequirementTable, track: str | None,
                        options: RenderOptions) -> str:
    tracks = [track] if track else list(table.tracks)
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold",
                 caption=f"from {table.source}", caption_justify="left")
    grid.add_column("id", style="dim", no_wrap=True)
    grid.add_column("Rotation", overflow="fold")
    grid.add_column("Aliases", style="dim", overflow="fold")
    for name in tracks:
        grid.add_column(name, no_wrap=True)
    for requirement in table.requirements:
        cells = [rule_text(requirement.rules[name], requirement.unit) for name in tracks]
        styled = [Text(c, style="" if c.startswith("required") else "dim") for c in cells]
        rotation = Text(requirement.rotation)
        if requirement.concurrent:
            rotation.append(" (concurrent)", style="dim")
        grid.add_row(requirement.id, rotation, ", ".join(requirement.aliases), *styled)
    buffer = io.StringIO()
    # markup=False: names from the table are text, never rich markup ("[red]" stays "[red]").
    Console(file=buffer, force_terminal=options.color, no_color=not options.color,
            width=options.width, highlight=False, markup=False).print(grid)
    return buffer.getvalue()
