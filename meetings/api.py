"""REST API for meetings: (prefix, viewset) pairs the root router registers.

Anyone reads public data; a private meeting's join link, agenda and minutes are blanked
(`details_hidden`) for everyone but staff and the leads of its group. The group's leads write
its records, as do the organisers a meeting names and staff holding the model permissions
(governance.permissions). Writes go through meetings.services.
"""

from django.conf import settings
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ReadBackMixin, refuse_unknown
from governance import permissions as rules
from governance.models import Group
from governance.permissions import GroupRecordsMixin
from meetings import fairness, privacy, selectors, services
from meetings.filters import AgendaItemFilter, MeetingFilter, OccurrenceFilter, ScheduleFilter
from meetings.models import Meeting, Occurrence, Schedule
from meetings.serializers import (
    AGENDA_ITEM_DEFAULTS,
    AgendaConflictSerializer,
    AgendaItemSerializer,
    AgendaSerializer,
    BurdenQuerySerializer,
    MeetingSerializer,
    MeetingTimesSerializer,
    OccurrenceSerializer,
    ScheduleSerializer,
    SlotQuerySerializer,
    SlotSearchQuerySerializer,
    SlotSearchSerializer,
    SlotSerializer,
)


class MeetingAccessMixin(GroupRecordsMixin):
    """What a request may see and change: a record's group is its meeting's
    (governance.permissions, through governance.permissions.WriteRule)."""

    def group_of(self, record) -> int:
        return self.meeting_of(record).group_id

    def meeting_id_of(self, record) -> int:
        return self.meeting_of(record).pk

    def shows_private(self, meeting: Meeting) -> bool:
        return privacy.shows_details(self.request.user, meeting, led_groups=self.led_groups)


class MeetingViewSet(MeetingAccessMixin, ReadBackMixin, viewsets.ModelViewSet):
    """Meetings. A private meeting's links are blanked except for staff and its group's leads."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_field = "slug"
    queryset = Meeting.objects.select_related("group").order_by("title")

    def meeting_of(self, meeting: Meeting) -> Meeting:
        return meeting

    def meeting_id_of(self, meeting: Meeting) -> int | None:
        # Organisers edit the meeting; removing it is for its group's leads and staff.
        return None if self.request.method == "DELETE" else meeting.pk

    def perform_create(self, serializer):
        self.require_write(serializer.validated_data["group"])
        super().perform_create(serializer)

    def perform_update(self, serializer):
        # The meeting's own group was checked with the record; a move needs the new one's.
        group = serializer.validated_data.get("group")
        if group is not None and group.pk != serializer.instance.group_id:
            self.require_write(group)
        super().perform_update(serializer)

    def perform_destroy(self, meeting):
        services.meeting_delete(meeting=meeting)


class ScheduleViewSet(MeetingAccessMixin, ReadBackMixin, viewsets.ModelViewSet):
    """Schedules: wall-clock time in a home zone, repeating over local dates. Changing the
    timing raises `sequence` (the iCalendar SEQUENCE)."""

    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter
    lookup_field = "uid"
    queryset = Schedule.objects.select_related("meeting__group").order_by("meeting__title", "pk")

    def meeting_of(self, schedule: Schedule) -> Meeting:
        return schedule.meeting

    def perform_create(self, serializer):
        meeting = serializer.validated_data["meeting"]
        self.require_write(meeting.group, meeting=meeting.pk)
        super().perform_create(serializer)

    def perform_destroy(self, schedule):
        services.schedule_delete(schedule=schedule)


@extend_schema_view(
    create=extend_schema(
        description="Cancel, move or restore an occurrence by its schedule "
        "and original date; the record is created if there was none."
    ),
)
class OccurrenceViewSet(
    MeetingAccessMixin,
    ReadBackMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Occurrence records: cancellations and moves (exceptions), agendas, minutes, recordings."""

    serializer_class = OccurrenceSerializer
    filterset_class = OccurrenceFilter
    # Creating cancels, moves or restores an occurrence, whether or not it has a record yet.
    write_permissions = {
        "create": rules.model_permissions(Occurrence, "add", "change"),
        "agenda": services.AGENDA_PERMISSIONS,
    }
    queryset = (
        Occurrence.objects.select_related("schedule__meeting__group")
        .prefetch_related("agenda_items__presenter")
        .order_by("original_date", "pk")
    )

    def meeting_of(self, record: Occurrence) -> Meeting:
        return record.schedule.meeting

    def perform_create(self, serializer):
        meeting = serializer.validated_data["schedule"].meeting
        self.require_write(meeting.group, meeting=meeting.pk)
        super().perform_create(serializer)

    @extend_schema(
        request=AgendaSerializer,
        responses={200: OccurrenceSerializer, 409: AgendaConflictSerializer},
        description="Replace the agenda, minutes and recording link. Send the `version` you "
        "read: if someone saved since, nothing is written and 409 returns their version.",
    )
    @action(detail=True, methods=["put"])
    def agenda(self, request, pk=None):
        record = self.get_object()
        agenda = AgendaSerializer(data=request.data, context=self.get_serializer_context())
        agenda.is_valid(raise_exception=True)
        data = agenda.validated_data
        try:
            services.agenda_save(
                schedule=record.schedule,
                original_date=record.original_date,
                items=[{**AGENDA_ITEM_DEFAULTS, **item} for item in data["items"]],
                minutes=data["minutes"],
                recording_url=data["recording_url"],
                expected_version=data["version"],
            )
        except services.AgendaConflict as conflict:
            current = self.get_queryset().get(pk=conflict.current.pk)
            return Response(
                {
                    "detail": f"Someone saved this agenda since version {data['version']}: "
                    f"it is now version {current.version}. Nothing was written.",
                    "current": self.get_serializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


class AgendaItemViewSet(MeetingAccessMixin, viewsets.ReadOnlyModelViewSet):
    """Agenda items (read-only: an agenda is saved whole, with its version, through
    PUT /occurrences/{id}/agenda/). Private meetings' items only for staff and their leads."""

    serializer_class = AgendaItemSerializer
    filterset_class = AgendaItemFilter

    def get_queryset(self):
        return (
            selectors.agenda_items_visible_to(self.request.user)
            .select_related("presenter")
            .order_by("occurrence", "order", "pk")
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[SlotQuerySerializer],
        responses=SlotSerializer(many=True),
        description="Occurrences computed from the schedules over [start, end): UTC instants, "
        "home-zone wall time, status and reason, and the time in every display zone. "
        "Schedules whose dates are to be confirmed give none.",
    )
)
class SlotViewSet(viewsets.GenericViewSet):
    """Computed occurrences in a date range."""

    serializer_class = SlotSerializer
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []

    def list(self, request):
        query = SlotQuerySerializer(data=request.query_params)
        refuse_unknown(request.query_params, query.fields, kind="parameter")
        query.is_valid(raise_exception=True)
        slots = selectors.slots_in_range(**query.validated_data)
        page = self.paginate_queryset(slots)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class _BurdenViewSet(viewsets.GenericViewSet):
    """Read-only figures of one row, found by slug; anyone reads them (zones and counts)."""

    lookup_field = "slug"
    permission_classes = [permissions.AllowAny]
    filter_backends: list = []
    query_serializer_class: type = BurdenQuerySerializer

    def query(self) -> dict:
        query = self.query_serializer_class(data=self.request.query_params)
        refuse_unknown(self.request.query_params, query.fields, kind="parameter")
        query.is_valid(raise_exception=True)
        return query.validated_data


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[BurdenQuerySerializer],
        responses=MeetingTimesSerializer,
        description="Who meets at night: the meeting's occurrences over the next `weeks` weeks "
        "on the clocks of its group's members, counted per zone (no member is named), with the "
        "share at night or on the weekend, the zones that carry it most and how the meeting's "
        "schedules (its rotation) spread it.",
    )
)
class MeetingBurdenViewSet(_BurdenViewSet):
    serializer_class = MeetingTimesSerializer
    queryset = Meeting.objects.select_related("group").prefetch_related("schedules__occurrences")

    def retrieve(self, request, slug=None):
        weeks = self.query().get("weeks", settings.AGORA_BURDEN_WEEKS)
        meeting = self.get_object()
        times = selectors.meeting_times(meeting.group, meeting.schedules.all(), weeks=weeks)
        return Response(self.get_serializer(times).data)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[BurdenQuerySerializer],
        responses=MeetingTimesSerializer,
        description="Who meets at night across all of the group's meetings, as for a meeting.",
    )
)
class GroupBurdenViewSet(_BurdenViewSet):
    serializer_class = MeetingTimesSerializer
    queryset = Group.objects.all()

    def retrieve(self, request, slug=None):
        weeks = self.query().get("weeks", settings.AGORA_BURDEN_WEEKS)
        times = selectors.group_meeting_times(self.get_object(), weeks=weeks)
        return Response(self.get_serializer(times).data)


@extend_schema_view(
    retrieve=extend_schema(
        parameters=[SlotSearchQuerySerializer],
        responses=SlotSearchSerializer,
        description="Weekly slots and week-about pairs for the group's members, ranked by the "
        "worst-off zone's share of occurrences at night or on the weekend, then all members'; "
        "the first pair minimises the worst-off zone.",
    )
)
class GroupSlotSuggestionViewSet(_BurdenViewSet):
    serializer_class = SlotSearchSerializer
    queryset = Group.objects.all()
    query_serializer_class = SlotSearchQuerySerializer

    def retrieve(self, request, slug=None):
        query = self.query()
        group = self.get_object()
        search = selectors.slot_search(
            group,
            zone=query.get("zone") or selectors.default_search_zone(group),
            weekday=fairness.WEEKDAYS.index(query.get("day", "monday")),
            minutes=query.get("minutes", 60),
            weeks=query.get("weeks", settings.AGORA_BURDEN_WEEKS),
        )
        context = {**self.get_serializer_context(), "search": search}
        return Response(self.serializer_class(search, context=context).data)


routes = [
    ("meetings", MeetingViewSet),
    ("schedules", ScheduleViewSet),
    ("occurrences", OccurrenceViewSet),
    ("agenda-items", AgendaItemViewSet),
    ("occurrence-times", SlotViewSet),
    ("meeting-burdens", MeetingBurdenViewSet),
    ("group-burdens", GroupBurdenViewSet),
    ("group-slot-suggestions", GroupSlotSuggestionViewSet),
]
