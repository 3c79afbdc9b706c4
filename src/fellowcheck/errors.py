"""The exception that stops a check and the exit codes: light, so the command line can
import them at start-up (see problems.py for the problems themselves)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fellowcheck.problems import Problem


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # a gap; or, when asked, anything not met or any warning
    ERROR = 2  # something could not be read or checked
    INTERNAL = 3  # a bug in fellowcheck


class FellowcheckError(Exception):
    """A fault that stops the work at hand; carries the problems to report."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("; ".join(str(p) for p in self.problems))
