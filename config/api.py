"""What every app's API shares: permissions and strict filtering."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions
from rest_framework.exceptions import ValidationError

# Query parameters that are not filters: pagination, ordering and format.
NON_FILTER_PARAMS = frozenset({"page", "page_size", "ordering", "format", "search"})


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone may read; only staff may write."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_staff)


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


def is_staff(request) -> bool:
    """Whether the request may see private fields."""
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)
