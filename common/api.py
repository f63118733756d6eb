"""What every app's API shares: strict filtering, paging, model errors and the HTML renderer."""

from collections.abc import Iterable, Mapping
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, parsers, renderers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from common.query import PAGE_NUMBER, PAGE_NUMBER_MAX, BadQuery, integer, read

# Query parameters that are not filters: pagination and format. An endpoint that orders or
# searches says so with a filter of its filter set, so no parameter is taken and ignored.
NON_FILTER_PARAMS = frozenset({"page", "page_size", "format"})


# Deeper than any resource's shape: a body nested more is refused before anything walks it.
MAX_JSON_DEPTH = 32


def _walk(value):
    """Every value in a parsed body, keys included, with its depth; without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        yield item, depth
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in [*item, *item.values()])
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


def check_body(data) -> None:
    """A 400 for a body nested deeper than MAX_JSON_DEPTH or holding a NUL, which PostgreSQL
    refuses in text (a slug or handle in a body is looked up before any field checks it)."""
    for item, depth in _walk(data):
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(item, str) and "\x00" in item:
            raise ParseError("A body cannot hold NUL characters.")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.") from None
        check_body(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_body(dict(data.lists()))
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_body(dict(parsed.data.lists()))
        return parsed


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """Rejects query parameters that are not filters, so a typo is an error, not all rows."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        refuse_unknown(request.query_params, filterset.filters if filterset is not None else ())
        return filterset


def refuse_unknown(query: Mapping[str, Any], known: Iterable[str], *, kind: str = "filter") -> None:
    """A 400 naming each query parameter that is neither `known` nor a paging or format one:
    a typo is an error, never a silently ignored parameter."""
    allowed = {*NON_FILTER_PARAMS, *known}
    unknown = sorted(set(query) - allowed)
    if unknown:
        message = f"Unknown {kind}; allowed: {', '.join(sorted(allowed))}."
        raise ValidationError({name: [message] for name in unknown})


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50 by default; a client may ask for up to 200 with `page_size`. A page number
    or size that is not a number in range is a 400; a page past the last, a 404."""

    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def get_page_size(self, request):
        size = integer(minimum=1, maximum=self.max_page_size)
        return read(request.query_params, self.page_size_query_param, size, self.page_size)

    def get_page_number(self, request, paginator):
        return read(request.query_params, self.page_query_param, PAGE_NUMBER, 1)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            parameter["schema"]["maximum"] = PAGE_NUMBER_MAX
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


def exception_handler(exc, context):
    """DRF's handler, which also answers a model's ValidationError and a bad query parameter
    with 400 naming the field or parameter.

    Services run full_clean(), so clean() messages and constraint violations arrive here.
    """
    # Imported here: DRF imports this module (the default permission) while its views load.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, BadQuery):
        exc = ValidationError({exc.parameter: [exc.reason]})
    elif isinstance(exc, DjangoValidationError):
        errors = as_serializer_error(exc)
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        exc = ValidationError(errors)
    return drf_exception_handler(exc, context)


class ReadBackMixin:
    """Answers a create or update with the object read back as a GET shows it.

    Serializers that nest prefetched relations need the object from `get_queryset()`,
    not the bare instance a service returned.
    """

    def perform_create(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.save().pk)

    def perform_update(self, serializer):
        serializer.instance = self.get_queryset().get(pk=serializer.save().pk)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML view of the API, whose template styles elements inline: its pages allow that.

    Scripts stay as strict as on every page; only style-src is widened, for this renderer only.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # What django-csp's @csp_update sets on a response.
        renderer_context["response"]._csp_update = {"style-src": [SELF, UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
