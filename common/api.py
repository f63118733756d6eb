"""What every app's API shares: strict filtering, paging, model errors and the HTML renderer."""

from csp.constants import SELF, UNSAFE_INLINE
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, renderers
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

# Query parameters that are not filters: pagination, ordering and format.
NON_FILTER_PARAMS = frozenset({"page", "page_size", "ordering", "format", "search"})


class StrictDjangoFilterBackend(DjangoFilterBackend):
    """Rejects query parameters that are not filters, so a typo is an error, not all rows."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        allowed = set(NON_FILTER_PARAMS)
        if filterset is not None:
            allowed |= set(filterset.filters)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name: [f"Unknown filter; allowed: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
        return filterset


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages of 50 by default; a client may ask for up to 200 with `page_size`."""

    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """DRF's handler, which also answers a model's ValidationError with 400 naming the field.

    Services run full_clean(), so clean() messages and constraint violations arrive here.
    """
    # Imported here: DRF imports this module (the default permission) while its views load.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
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
