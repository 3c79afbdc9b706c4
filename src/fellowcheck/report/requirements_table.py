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


#: The width the id, rotation and aliases columns need, and each track's column; below
#: IDS_WIDTH the ids are left out too.
ALIASES_WIDTH, TRACK_WIDTH, IDS_WIDTH = 100, 24, 110


def render_requirements(table: RequirementTable, track: str | None,
                        options: RenderOptions) -> str:
    tracks = [track] if track else list(table.tracks)
    # The aliases only where they fit beside the rest: a narrow table wraps words mid-word.
    aliases = options.width >= ALIASES_WIDTH + TRACK_WIDTH * len(tracks)
    grid = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold",
                 caption=f"from {table.source}", caption_justify="left")
    ids = options.width >= IDS_WIDTH  # (the narrowest terminals keep the names and rules)
    if ids:
        grid.add_column("id", style="dim", no_wrap=True)
    grid.add_column("Rotation", min_width=16, ratio=2)
    if aliases:
        grid.add_column("Aliases", style="dim", ratio=1)
    for name in tracks:  # a rule wraps rather than lose its unit
        grid.add_column(name, min_width=10)
    for requirement in table.requirements:
        cells = [rule_text(requirement.rules[name], requirement.unit) for name in tracks]
        styled = [Text(c, style="" if c.startswith("required") else "dim") for c in cells]
        rotation = Text(requirement.rotation)
        if requirement.concurrent:
            rotation.append(" (concurrent)", style="dim")
        grid.add_row(*([requirement.id] if ids else []), rotation,
                     *([", ".join(requirement.aliases)] if aliases else []), *styled)
    buffer = io.StringIO()
    # markup=False: names from the table are text, never rich markup ("[red]" stays "[red]").
    Console(file=buffer, force_terminal=options.color, no_color=not options.color,
            width=options.width, highlight=False, markup=False).print(grid)
    return buffer.getvalue()
