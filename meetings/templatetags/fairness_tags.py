"""Tags of the "who meets at night" sections and the find-a-time page: the figures, and the
geometry of their server-drawn SVG heat strip (a row per member zone, a cell per occurrence)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings

from meetings import fairness, selectors, zones

register = template.Library()

LABEL_WIDTH = 200
CELL_WIDTH = 26
ROW_HEIGHT = 30
HEADER_HEIGHT = 58
GAP = 2
# Room on the right for the last column's slanted date.
RIGHT_MARGIN = 36


@register.simple_tag
def meeting_times(detail) -> selectors.MeetingTimes:
    """A meeting page's figures, from the schedules (and records) its page already read."""
    meeting = detail.meeting
    return selectors.meeting_times(
        meeting.group, detail.schedules, weeks=settings.AGORA_BURDEN_WEEKS
    )


@register.simple_tag
def group_meeting_times(group) -> selectors.MeetingTimes:
    return selectors.group_meeting_times(group, weeks=settings.AGORA_BURDEN_WEEKS)


@register.simple_tag
def night_rule() -> fairness.NightRule:
    return selectors.night_rule()


@register.filter
def percent(share: float) -> str:
    return f"{round(share * 100)} %"


@register.filter
def zone_label(name: str) -> str:
    """ "Asia/Shanghai (China)", "Europe/Berlin": the place label where it adds one."""
    place = zones.PLACE_LABELS.get(name)
    return f"{name.replace('_', ' ')} ({place})" if place else name.replace("_", " ")


@register.filter
def clock(time) -> str:
    """A zone's local time of an occurrence: "Mon 17:00-18:00", its weekday included."""
    return f"{time.start:%a %H:%M}-{time.end:%H:%M}"


@dataclass(frozen=True)
class Cell:
    x: int
    y: int
    kind: str
    title: str


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class Picture:
    width: int
    height: int
    cell_width: int
    cell_height: int
    rows: list[Label]
    columns: list[Label]
    cells: list[Cell]


def _kind(time: fairness.ZoneTime) -> str:
    return "night" if time.night else "weekend" if time.weekend else "day"


@register.filter
def heat_strip(burden: fairness.Burden) -> Picture:
    """A row per member zone (west to east), a column per occurrence; each cell is night,
    weekend or day on that zone's clock. Columns are dated on the site's listing zone."""
    listing = selectors.listing_zone()
    names = [zone.zone for zone in burden.zones]
    columns, cells = [], []
    for column, occurrence in enumerate(burden.occurrences):
        x = LABEL_WIDTH + column * CELL_WIDTH
        day = occurrence.sitting.start.astimezone(listing)
        columns.append(Label(x + CELL_WIDTH // 2, HEADER_HEIGHT - 6, f"{day:%-d %b}"))
        for row, time in enumerate(occurrence.times):
            kind = _kind(time)
            cells.append(
                Cell(
                    x,
                    HEADER_HEIGHT + row * ROW_HEIGHT,
                    kind,
                    f"{zone_label(time.zone)}: {clock(time)} ({kind}), "
                    f"{time.members} member{'s' if time.members != 1 else ''}",
                )
            )
    rows = [
        Label(LABEL_WIDTH - 8, HEADER_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT // 2 + 4, text)
        for row, zone in enumerate(burden.zones)
        for text in [f"{zone_label(zone.zone)} · {zone.members}"]
    ]
    return Picture(
        width=LABEL_WIDTH + max(len(burden.occurrences), 1) * CELL_WIDTH + RIGHT_MARGIN,
        height=HEADER_HEIGHT + max(len(names), 1) * ROW_HEIGHT + GAP,
        cell_width=CELL_WIDTH - GAP,
        cell_height=ROW_HEIGHT - GAP,
        rows=rows,
        columns=columns,
        cells=cells,
    )


@register.filter
def candidate_lines(candidate: fairness.Candidate, search: selectors.SlotSearch):
    return selectors.candidate_lines(search, candidate)
