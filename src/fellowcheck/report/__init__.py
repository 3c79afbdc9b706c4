"""Output formats. Each format is one module with

    render(report: Report, options: RenderOptions) -> str | bytes

and a line in FORMATS below: adding a format is adding a module and that line.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from typing import Protocol

from fellowcheck.model import Report


@dataclass(frozen=True, slots=True)
class RenderOptions:
    color: bool = False
    width: int = 100
    verbose: bool = False


class Renderer(Protocol):
    def __call__(self, report: Report, options: RenderOptions) -> str | bytes: ...


class Format(str, enum.Enum):
    TABLE = "table"
    JSON = "json"


#: format -> module under fellowcheck.report (imported only when that format is used)
FORMATS: dict[Format, str] = {
    Format.TABLE: "terminal",
    Format.JSON: "json",
}

#: file suffix -> format, for --output without --format
SUFFIX_FORMATS: dict[str, Format] = {".json": Format.JSON, ".txt": Format.TABLE}


def renderer(fmt: Format) -> Renderer:
    module = importlib.import_module(f"fellowcheck.report.{FORMATS[fmt]}")
    return module.render
