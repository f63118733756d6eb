"""IANA time zones: validation with suggestions, and the curated list offered in forms."""

import difflib
import zoneinfo
from functools import cache
from importlib import resources

from django.core.exceptions import ValidationError


@cache
def available_zones() -> frozenset[str]:
    """The IANA zones tzdata has, read once (zoneinfo scans its files at each call)."""
    return frozenset(zoneinfo.available_timezones())


@cache
def _zones_by_lowercase() -> dict[str, str]:
    return {zone.lower(): zone for zone in sorted(available_zones())}


def suggest_zones(value: str, limit: int = 3) -> list[str]:
    """The valid zone names closest to `value`, best first."""
    candidates = _zones_by_lowercase()
    exact = candidates.get(value.strip().lower())
    if exact:
        return [exact]
    matches = difflib.get_close_matches(value.strip().lower(), candidates, n=limit, cutoff=0.5)
    if not matches:
        # "Berlin" or "Kolkata": match on the city part of each zone.
        city = value.strip().lower().replace(" ", "_")
        matches = [name for name in candidates if name.rsplit("/", 1)[-1] == city][:limit]
    return [candidates[match] for match in matches]


def validate_time_zone(value: str) -> None:
    """Rejects a name that is not an IANA zone, naming the closest valid ones."""
    if value in available_zones():
        return
    suggestions = suggest_zones(value)
    hint = f" Did you mean {', '.join(suggestions)}?" if suggestions else ""
    raise ValidationError(
        "“%(value)s” is not an IANA time zone.%(hint)s",
        code="invalid_time_zone",
        params={"value": value, "hint": hint},
    )


def _place_zones() -> list[str]:
    """One zone per place (tzdata's zone.tab, without old aliases such as US/Eastern), and UTC."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
    return sorted({row[2] for row in rows} & available_zones() | {"UTC"})


TIME_ZONE_CHOICES = [(zone, zone.replace("_", " ")) for zone in _place_zones()]
