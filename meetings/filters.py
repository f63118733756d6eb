"""The meetings API's filters (common.api.StrictDjangoFilterBackend refuses any other)."""

import django_filters

from common.query import BooleanQueryFilter, QueryFilter, parse_date
from governance.models import Group
from meetings.models import AgendaItem, Meeting, MeetingKind, Occurrence, Schedule


class MeetingFilter(django_filters.FilterSet):
    group = django_filters.ModelChoiceFilter(
        field_name="group", to_field_name="slug", queryset=Group.objects.all()
    )
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    is_private = BooleanQueryFilter()

    class Meta:
        model = Meeting
        fields = ["group", "kind", "is_private"]


class ScheduleFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        field_name="meeting", to_field_name="slug", queryset=Meeting.objects.all()
    )
    group = django_filters.ModelChoiceFilter(
        field_name="meeting__group", to_field_name="slug", queryset=Group.objects.all()
    )
    confirmed = BooleanQueryFilter(method="filter_confirmed", label="Dates confirmed")

    class Meta:
        model = Schedule
        fields = ["meeting", "group", "confirmed"]

    def filter_confirmed(self, queryset, name, value):
        return queryset.confirmed() if value else queryset.unconfirmed()


class OccurrenceFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        field_name="schedule__meeting", to_field_name="slug", queryset=Meeting.objects.all()
    )
    group = django_filters.ModelChoiceFilter(
        field_name="schedule__meeting__group", to_field_name="slug", queryset=Group.objects.all()
    )
    schedule = django_filters.UUIDFilter(field_name="schedule__uid")
    date_from = QueryFilter(parse=parse_date, field_name="original_date", lookup_expr="gte")
    date_to = QueryFilter(parse=parse_date, field_name="original_date", lookup_expr="lte")

    class Meta:
        model = Occurrence
        fields = ["meeting", "group", "schedule", "status", "date_from", "date_to"]


class AgendaItemFilter(django_filters.FilterSet):
    meeting = django_filters.ModelChoiceFilter(
        field_name="occurrence__schedule__meeting",
        to_field_name="slug",
        queryset=Meeting.objects.all(),
    )

    class Meta:
        model = AgendaItem
        fields = ["meeting", "occurrence"]
