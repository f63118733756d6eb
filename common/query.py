"""Query-string values, read one way by every page and endpoint.

A parser takes the text of one value and returns it as a date, month, instant or count within
bounds, or raises ValueError with the reason a person reads. `read()` names the parameter
(`BadQuery`, a 400); the form, filter and serializer fields below carry the same parsers
into Django forms, django-filter and DRF, so a value is checked the same way everywhere.
"""

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django_filters import Filter
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Every date a request can name: far enough for any real meeting, near enough to compute.
FIRST_DATE = datetime.date(1970, 1, 1)
LAST_DATE = datetime.date(2200, 12, 31)
# C0 controls but tab, line feed and carriage return, and DEL: never part of a real value.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Parser = Callable[[str], Any]


class BadQuery(BadRequest):
    """A query parameter the request cannot be answered with: a 400 naming it and why."""

    def __init__(self, parameter: str, reason: str):
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def in_window(day: datetime.date) -> datetime.date:
    """`day` itself if it lies in the window of dates a request may name; ValueError if not."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ValueError(f"Give a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}.")
    return day


def parse_date(text: str) -> datetime.date:
    """A YYYY-MM-DD date in the window."""
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Give a date as YYYY-MM-DD, e.g. 2026-12-01.") from None
    return in_window(day)


def parse_month(text: str) -> datetime.date:
    """A YYYY-MM month in the window, as the date of its first day."""
    if not re.fullmatch(r"\d{4}-\d{2}", text.strip()):
        raise ValueError("Give the month as YYYY-MM, e.g. 2026-12.")
    try:
        first = datetime.date.fromisoformat(f"{text.strip()}-01")
    except ValueError:
        raise ValueError("Give the month as YYYY-MM, e.g. 2026-12.") from None
    return in_window(first)


def parse_instant(text: str) -> datetime.datetime:
    """An ISO 8601 instant with its UTC offset (or Z), in the window, as UTC."""
    example = "e.g. 2026-12-01T00:00:00Z"
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None  # well-formed but impossible: 2026-02-30, 25:00
    if moment is None:
        raise ValueError(f"Give an ISO 8601 instant, {example}.")
    if moment.tzinfo is None:
        raise ValueError(f"Give the instant's UTC offset or Z, {example}.")
    try:
        moment = moment.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError(f"Give an ISO 8601 instant, {example}.") from None
    in_window(moment.date())
    return moment


def parse_boolean(text: str) -> bool:
    """true or false."""
    value = {"true": True, "false": False}.get(text.strip().lower())
    if value is None:
        raise ValueError("Give true or false.")
    return value


def one_of(choices) -> Parser:
    """A parser of one of `choices`, as given."""

    def parse(text: str) -> str:
        if text.strip() not in choices:
            raise ValueError(f"Choose one of: {', '.join(choices)}.")
        return text.strip()

    return parse


def integer(*, minimum: int, maximum: int) -> Parser:
    """A parser of whole numbers from `minimum` to `maximum`."""

    def parse(text: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,12}", text.strip()):
            raise ValueError("Give a whole number.")
        value = int(text)
        if not minimum <= value <= maximum:
            raise ValueError(f"Give a number from {minimum} to {maximum}.")
        return value

    return parse


# A page of any list, on pages and in the API; past the last one is the paginator's to answer.
PAGE_NUMBER_MAX = 1_000_000
PAGE_NUMBER = integer(minimum=1, maximum=PAGE_NUMBER_MAX)


def read(query: Mapping[str, str], name: str, parse: Parser, default: Any = None) -> Any:
    """The value of parameter `name` read by `parse`; `default` when absent or blank."""
    text = query.get(name, "")
    if not text.strip():
        return default
    try:
        return parse(text)
    except ValueError as error:
        raise BadQuery(name, str(error)) from None


def read_all(query: QueryDict, name: str, parse: Parser) -> list[Any]:
    """Every value of a repeated parameter `name` (?alarm=15&alarm=60) read by `parse`, blank
    ones skipped."""
    values = []
    for text in query.getlist(name):
        if text.strip():
            try:
                values.append(parse(text))
            except ValueError as error:
                raise BadQuery(name, str(error)) from None
    return values


class QueryFormField(forms.CharField):
    """A form field reading its value with a parser; blank is None."""

    def __init__(self, *, parse: Parser, **kwargs):
        self.parse = parse
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return self.parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None


class QueryFilter(Filter):
    """A django-filter filter whose value a parser reads (dates in the window, counts)."""

    field_class = QueryFormField

    def __init__(self, *, parse: Parser, **kwargs):
        super().__init__(parse=parse, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanQueryFilter(QueryFilter):
    """A true/false filter that refuses any other value (django-filter's ignores it)."""

    def __init__(self, **kwargs):
        super().__init__(parse=parse_boolean, **kwargs)


class QuerySerializerField(serializers.CharField):
    """A DRF field reading its value with a parser."""

    def __init__(self, *, parse: Parser, **kwargs):
        self.parse = parse
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            return self.parse(super().to_internal_value(data))
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None
