"""What every app's API shares: permissions, strict filtering, paging and model errors."""

from functools import cached_property

from csp.constants import SELF, UNSAFE_INLINE
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import pagination, permissions, renderers
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings

from governance import permissions as rules

# Query parameters that are not filters: pagination, ordering and format.
NON_FILTER_PARAMS = frozenset({"page", "page_size", "ordering", "format", "search"})


# What a write needs of the model it writes, by method (DRF's DjangoModelPermissions).
METHOD_ACTIONS = {"POST": ("add",), "PUT": ("change",), "PATCH": ("change",), "DELETE": ("delete",)}


def write_permissions(request, view) -> tuple[str, ...]:
    """The Django permissions the request's write needs: the view's `write_permissions` for
    its action (an action that writes more than its own model), else its model's for the method."""
    if request.method not in METHOD_ACTIONS:
        raise MethodNotAllowed(request.method)
    declared = getattr(view, "write_permissions", {})
    action = getattr(view, "action", None)
    if action in declared:
        return declared[action]
    return rules.model_permissions(view.get_queryset().model, *METHOD_ACTIONS[request.method])


class WriteRule(permissions.BasePermission):
    """Anyone reads; a write follows governance.permissions.may_write.

    Staff need the Django model permissions of what they write. In a view of records that
    belong to a group (a GroupRecordsMixin), the group's leads write them too.
    """

    message = "Writing this needs its model permission (staff), or leading its group (meetings)."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if rules.has_model_permissions(request.user, write_permissions(request, view)):
            return True
        # A lead's write is checked against its record's group (and the group it goes to).
        return isinstance(view, GroupRecordsMixin) and bool(view.led_groups)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        groups = [view.group_of(obj)] if isinstance(view, GroupRecordsMixin) else None
        return rules.may_write(
            request.user,
            write_permissions(request, view),
            groups=groups,
            led_groups=getattr(view, "led_groups", None),
        )


class GroupRecordsMixin:
    """A viewset whose records belong to a group, whose current leads write them as staff do.

    `group_of(record)` names a record's group (id); a create or a move calls `require_write`
    with the group the record goes to.
    """

    def group_of(self, record) -> int | None:
        raise NotImplementedError

    @cached_property
    def led_groups(self) -> frozenset[int]:
        return rules.groups_led_by(self.request.user)

    def require_write(self, group) -> None:
        """Refuse (403) a write into `group` that the user may not make."""
        if not rules.may_write(
            self.request.user,
            write_permissions(self.request, self),
            groups=[group.pk],
            led_groups=self.led_groups,
        ):
            raise PermissionDenied(
                f"Only the leads of {group}, and staff allowed to, write its records."
            )


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
