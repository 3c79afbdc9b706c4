"""Words and numbers as people read them, shared by the human-facing formats."""

from __future__ import annotations

from fellowcheck.model import FellowResult, Kind, RequirementResult, Status, Unit

STATUS_LABELS = {
    Status.MET: "met",
    Status.ON_TRACK: "on track",
    Status.GAP: "GAP",
    Status.OVER: "over max",
    Status.NOT_APPLICABLE: "n/a",
    Status.COMPLIANT: "compliant",
}

_UNIT_WORDS = {
    Unit.WEEK: ("wk", "wk"),
    Unit.DAY: ("day", "days"),
    Unit.HALF_DAY: ("half-day", "half-days"),
    Unit.CONFERENCE: ("conference", "conferences"),
}


def number(value: float) -> str:
    """2 -> "2", 2.5 -> "2.5", 35.05 -> "35.05", 0.3333 -> "0.33": two decimals at most, so
    that completed, scheduled and remaining still add up as they are shown (35.05 and 5.95
    rounded to one decimal would show as 35 and 6)."""
    rounded = round(value, 2) + 0.0  # + 0.0: no "-0"
    if not rounded and value:
        return "<0.01"
    return f"{rounded:.2f}".rstrip("0").rstrip(".")


def leave_taken_text(fellow: FellowResult) -> str:
    """" (1 wk taken)" or " (none taken yet)" when some of a fellow's leave is still to come,
    else ""."""
    if round(fellow.leave_taken_weeks, 6) >= round(fellow.leave_weeks, 6):
        return ""
    if round(fellow.leave_taken_weeks, 6) == 0:
        return " (none taken yet)"
    return f" ({amount(fellow.leave_taken_weeks, Unit.WEEK)} taken)"


def amount(value: float, unit: Unit) -> str:
    """An amount with its unit: "13 wk", "1 day", "60 half-days"."""
    singular, plural = _UNIT_WORDS[unit]
    return f"{number(value)} {singular if round(value, 2) == 1 else plural}"


def requirement_text(result: RequirementResult) -> str:
    """What the track asks: "13 wk", "7-8 wk", "up to 1 wk", "any"."""
    unit = result.requirement.unit
    if result.kind is Kind.NOT_APPLICABLE:
        return "not in track"
    if result.kind is Kind.ELECTIVE:
        return f"up to {amount(result.max, unit)}" if result.max is not None else "any"
    if result.max is not None and result.max != result.min:
        return f"{number(result.min)}-{amount(result.max, unit)}"
    return amount(result.min, unit)


def blank_if_zero(value: float) -> str:
    """A bare number for a table column whose unit the row states; "-" for nothing."""
    return number(value) if value > 0 else "-"


def plural(count: int, word: str) -> str:
    """ "1 fellow", "3 fellows"."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def status_breakdown(by_status: dict[str, int]) -> str:
    """ "0 compliant, 1 on track, 2 with gaps" (verdict.Summary.by_status)."""
    return (f"{by_status['compliant']} compliant, {by_status['on_track']} on track, "
            f"{by_status['gap']} with gaps")


def problem_counts(errors: int, warnings: int) -> str:
    """ "1 error, 0 warnings"."""
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
