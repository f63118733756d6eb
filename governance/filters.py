"""Filters of the governance API: each query parameter a client may use."""

import django_filters

from common.query import BooleanQueryFilter
from governance import models, selectors


class PersonFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(
        method="filter_people", label="Slug of a group the person holds a role in now"
    )
    affiliation = django_filters.CharFilter(
        method="filter_people", label="Affiliation, ignoring case"
    )
    q = django_filters.CharFilter(method="filter_people", label="Part of the handle or name")

    class Meta:
        model = models.Person
        fields = ["group", "affiliation", "q"]

    def filter_people(self, queryset, name, value):
        return selectors.filter_people(queryset, **{name: value})


class GroupFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=models.GroupKind.choices)
    status = django_filters.ChoiceFilter(choices=models.GroupStatus.choices)

    class Meta:
        model = models.Group
        fields = ["kind", "status"]


class RoleFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__slug", label="Group slug")
    person = django_filters.CharFilter(
        field_name="person__handle", lookup_expr="iexact", label="Person's handle"
    )
    kind = django_filters.ChoiceFilter(choices=models.RoleKind.choices)
    current = BooleanQueryFilter(method="filter_current", label="Held today (true) or not (false)")

    class Meta:
        model = models.Role
        fields = ["group", "person", "kind", "current"]

    def filter_current(self, queryset, name, value):
        current = models.Role.objects.current()
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class SubprojectFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__slug", label="Group slug")

    class Meta:
        model = models.Subproject
        fields = ["group"]


class ChannelFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__slug", label="Group slug")
    kind = django_filters.ChoiceFilter(choices=models.ChannelKind.choices)

    class Meta:
        model = models.Channel
        fields = ["group", "kind"]


class CommitteeFilter(django_filters.FilterSet):
    purpose = django_filters.ChoiceFilter(choices=models.CommitteePurpose.choices)

    class Meta:
        model = models.Committee
        fields = ["purpose"]
