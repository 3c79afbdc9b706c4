"""Output formats. Each format is one module with

    render(report: Report, options: RenderOptions) -> str | bytes

and a line in FORMATS below: adding a format is adding a module and that line.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from fellowcheck.policy import Policy

if TYPE_CHECKING:
    from fellowcheck.model import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int = 100
    verbose: bool = False
    summary_only: bool = False  # the program at a glance: audit grid and summary line
    policy: Policy = Policy()  # what fails the run, so that each format can say why


class Renderer(Protocol):
    def __call__(self, report: Report, options: RenderOptions) -> str | bytes: ...


class Format(str, enum.Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    JUNIT = "junit"
    GITHUB = "github"
    XLSX = "xlsx"


class RequirementsFormat(str, enum.Enum):
    """Formats of `fellowcheck requirements` (see report/requirements_export.py)."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    MARKDOWN = "markdown"


#: format -> module under fellowcheck.report (imported only when that format is used)
FORMATS: dict[Format, str] = {
    Format.TABLE: "terminal",
    Format.JSON: "json",
    Format.CSV: "csv",
    Format.MARKDOWN: "markdown",
    Format.JUNIT: "junit",
    Format.GITHUB: "github",
    Format.XLSX: "xlsx",
}

#: file suffix -> format, for --output without --format
#: (github has none: its workflow commands are read from stdout by the Actions runner.)
SUFFIX_FORMATS: dict[str, Format] = {
    ".json": Format.JSON, ".txt": Format.TABLE, ".csv": Format.CSV, ".md": Format.MARKDOWN,
    ".markdown": Format.MARKDOWN, ".xml": Format.JUNIT, ".xlsx": Format.XLSX,
}


def renderer(fmt: Format) -> Renderer:
    module = importlib.import_module(f"fellowcheck.report.{FORMATS[fmt]}")
    return module.render
