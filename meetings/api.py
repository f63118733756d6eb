"""REST API for meetings: (prefix, viewset) pairs the root router registers.

Anyone reads public data; a private meeting's join link, agenda and minutes are blanked
(`details_hidden`) for everyone but staff and the leads of its group. The group's leads write
its records, and so do staff holding the model permissions (governance.permissions). Writes go
through meetings.services.
"""

import datetime

import django_filters
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.query import (
    BooleanQueryFilter,
    QueryFilter,
    QuerySerializerField,
    parse_date,
    parse_instant,
)
from governance import permissions as rules
from governance.models import Group, Person
from governance.permissions import GroupRecordsMixin
from governance.timezones import validate_time_zone
from meetings import recurrence, selectors, services
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    Occurrence,
    OccurrenceStatus,
    Schedule,
)

MAX_RANGE = datetime.timedelta(days=92)
PRIVATE_MEETING_FIELDS = ("join_url", "agenda_url", "notes_url", "recordings_url")
PRIVATE_RECORD_FIELDS = ("minutes", "recording_url")
AGENDA_ITEM_DEFAULTS = {
    "presenter": None,
    "presenter_name": "",
    "minutes_allotted": None,
    "link": "",
}


class MeetingAccessMixin(GroupRecordsMixin):
    """What a request may see and change: a record's group is its meeting's
    (governance.permissions, through governance.permissions.WriteRule)."""

    def group_of(self, record) -> int:
        return self.meeting_of(record).group_id

    def shows_private(self, meeting: Meeting) -> bool:
        return not meeting.is_private or rules.sees_private(
            self.request.user, meeting.group_id, led_groups=self.led_groups
        )


def _shows_private(serializer, meeting: Meeting) -> bool:
    view = serializer.context.get("view")
    return view is not None and view.shows_private(meeting)


class MeetingSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="slug", queryset=Group.objects.all())
    details_hidden = serializers.SerializerMethodField(
        help_text="True for a private meeting seen by someone who is not staff or one of its "
        "group's leads: its links are blanked."
    )
    page_url = serializers.SerializerMethodField()
    display_zones = serializers.ListField(
        child=serializers.CharField(validators=[validate_time_zone]),
        required=False,
        help_text=Meeting._meta.get_field("display_zones").help_text,
    )

    class Meta:
        model = Meeting
        fields = [
            "slug",
            "title",
            "kind",
            "group",
            "subproject",
            "description",
            *PRIVATE_MEETING_FIELDS,
            "display_zones",
            "is_private",
            "details_hidden",
            "page_url",
            "created_at",
            "updated_at",
        ]

    def get_details_hidden(self, meeting: Meeting) -> bool:
        return not _shows_private(self, meeting)

    def get_page_url(self, meeting: Meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())

    def to_representation(self, meeting):
        data = super().to_representation(meeting)
        if data["details_hidden"]:
            data.update(dict.fromkeys(PRIVATE_MEETING_FIELDS, ""))
        return data


class ScheduleSerializer(serializers.ModelSerializer):
    meeting = serializers.SlugRelatedField(slug_field="slug", queryset=Meeting.objects.all())
    description = serializers.CharField(source="describe", read_only=True)
    dst_notes = serializers.SerializerMethodField(
        help_text="Occurrences starting in a DST gap or overlap, and how RFC 5545 reads them."
    )

    class Meta:
        model = Schedule
        fields = [
            "uid",
            "meeting",
            *services.TIMING_FIELDS,
            "source_text",
            "is_confirmed",
            "description",
            "dst_notes",
            "sequence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["uid", "sequence", "is_confirmed"]

    def get_dst_notes(self, schedule: Schedule) -> list[str]:
        return recurrence.dst_notes(schedule)

    def validate_meeting(self, meeting):
        if self.instance is not None and meeting != self.instance.meeting:
            raise ValidationError("A schedule stays with its meeting; create a new one instead.")
        return meeting


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter = serializers.SlugRelatedField(
        slug_field="handle", queryset=Person.objects.all(), allow_null=True, required=False
    )
    presenter_display = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "occurrence",
            "order",
            "title",
            "presenter",
            "presenter_name",
            "presenter_display",
            "minutes_allotted",
            "link",
        ]
        read_only_fields = ["id", "occurrence", "order"]


class OccurrenceSerializer(serializers.ModelSerializer):
    schedule = serializers.SlugRelatedField(slug_field="uid", queryset=Schedule.objects.all())
    meeting = serializers.SlugRelatedField(
        source="schedule.meeting", slug_field="slug", read_only=True
    )
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    details_hidden = serializers.SerializerMethodField(
        help_text="True for a private meeting's record seen by someone who is not staff or one "
        "of its group's leads: agenda, minutes and recording are blanked."
    )

    class Meta:
        model = Occurrence
        fields = [
            "id",
            "schedule",
            "meeting",
            "original_date",
            "status",
            "reason",
            "moved_start",
            "moved_duration_minutes",
            *PRIVATE_RECORD_FIELDS,
            "agenda_items",
            "version",
            "details_hidden",
            "created_at",
            "updated_at",
        ]
        # Agenda, minutes and recording change through the agenda action (with a version).
        read_only_fields = ["minutes", "recording_url", "version"]
        # The service validates the record (with the message naming nearby dates).
        validators: list = []

    def get_details_hidden(self, record: Occurrence) -> bool:
        return not _shows_private(self, record.schedule.meeting)

    def validate(self, attrs):
        if self.instance is not None:
            moved = {"schedule", "original_date"} & {
                name for name in attrs if attrs[name] != getattr(self.instance, name)
            }
            if moved:
                raise ValidationError(
                    dict.fromkeys(moved, "An occurrence record keeps its schedule and date.")
                )
        return attrs

    def to_representation(self, record):
        data = super().to_representation(record)
        if data["details_hidden"]:
            data.update(dict.fromkeys(PRIVATE_RECORD_FIELDS, ""), agenda_items=[])
        return data


class AgendaSerializer(serializers.Serializer):
    """A whole agenda, saved at once; `version` is the record's version the client read."""

    version = serializers.IntegerField(min_value=0)
    items = AgendaItemSerializer(many=True)
    minutes = serializers.CharField(allow_blank=True, required=False, default="")
    recording_url = serializers.URLField(
        allow_blank=True, required=False, default="", max_length=500
    )


class AgendaConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = OccurrenceSerializer()


class ZoneLineSerializer(serializers.Serializer):
    zone = serializers.CharField()
    abbreviation = serializers.CharField()
    start = serializers.CharField(help_text="Local start with its UTC offset.")
    end = serializers.CharField(help_text="Local end with its UTC offset.")
    other_day = serializers.BooleanField(help_text="The local date differs from the home date.")
    text = serializers.CharField(help_text='e.g. "1-2 AM UTC (Tuesday)".')

    def to_representation(self, line):
        return {
            "zone": line.zone,
            "abbreviation": line.abbreviation,
            "start": line.start.isoformat(),
            "end": line.end.isoformat(),
            "other_day": line.other_day,
            "text": str(line),
        }


class SlotSerializer(serializers.Serializer):
    """A computed occurrence: when it happens, in UTC and in its home zone's wall time."""

    meeting = serializers.CharField(source="meeting.slug")
    meeting_title = serializers.CharField(source="meeting.title")
    group = serializers.CharField(source="meeting.group.slug")
    is_private = serializers.BooleanField(source="meeting.is_private")
    schedule = serializers.UUIDField(source="schedule.uid")
    original_date = serializers.DateField(help_text="The local date addressing the occurrence.")
    start = serializers.DateTimeField(help_text="UTC instant.")
    end = serializers.DateTimeField(help_text="UTC instant.")
    time_zone = serializers.CharField(source="schedule.time_zone")
    local_start = serializers.SerializerMethodField(help_text="Home-zone wall time, no offset.")
    local_end = serializers.SerializerMethodField(help_text="Home-zone wall time, no offset.")
    status = serializers.ChoiceField(choices=OccurrenceStatus.choices)
    reason = serializers.CharField()
    zone_lines = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    def get_local_start(self, slot) -> str:
        return slot.local_start.replace(tzinfo=None).isoformat()

    def get_local_end(self, slot) -> str:
        return slot.local_end.replace(tzinfo=None).isoformat()

    @extend_schema_field(ZoneLineSerializer(many=True))
    def get_zone_lines(self, slot):
        return ZoneLineSerializer(selectors.slot_lines(slot), many=True).data

    def get_summary(self, slot) -> str:
        return " / ".join(str(line) for line in selectors.slot_lines(slot))

    def get_page_url(self, slot) -> str:
        """The page of the day it takes place, which a move may have changed."""
        return self.context["request"].build_absolute_uri(
            reverse("meetings:occurrence-detail", args=[slot.meeting.slug, slot.local_date])
        )


@extend_schema_field(OpenApiTypes.DATETIME)
class InstantField(QuerySerializerField):
    """An ISO 8601 instant with a UTC offset or Z, in the window of dates a request may name."""

    def __init__(self, **kwargs):
        super().__init__(parse=parse_instant, **kwargs)


class SlugListField(serializers.CharField):
    """Comma-separated slugs of existing rows: an unknown one is named in the error."""

    def __init__(self, *, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        slugs = [
            slug.strip() for slug in super().to_internal_value(value).split(",") if slug.strip()
        ]
        found = {row.slug: row for row in self.queryset.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise ValidationError(f"Unknown: {', '.join(unknown)}.")
        return list(found.values())


class SlotQuerySerializer(serializers.Serializer):
    """The query of the computed-occurrences endpoint."""

    start = InstantField(help_text="Range start, an ISO 8601 instant (inclusive).")
    end = InstantField(
        help_text=f"Range end, an ISO 8601 instant; at most {MAX_RANGE.days} days after start."
    )
    group = SlugListField(
        queryset=Group.objects.all(), required=False, help_text="Group slugs, comma-separated."
    )
    meeting = SlugListField(
        queryset=Meeting.objects.all(), required=False, help_text="Meeting slugs, comma-separated."
    )

    def validate(self, attrs):
        if attrs["end"] <= attrs["start"]:
            raise ValidationError({"end": "The end must be after the start."})
        if attrs["end"] - attrs["start"] > MAX_RANGE:
            raise ValidationError({"end": f"Ask for at most {MAX_RANGE.days} days at a time."})
        return attrs


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


class MeetingViewSet(MeetingAccessMixin, viewsets.ModelViewSet):
    """Meetings. A private meeting's links are blanked except for staff and its group's leads."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_field = "slug"
    queryset = Meeting.objects.select_related("group").order_by("title")

    def meeting_of(self, meeting: Meeting) -> Meeting:
        return meeting

    def perform_create(self, serializer):
        self.require_write(serializer.validated_data["group"])
        serializer.instance = services.meeting_create(**serializer.validated_data)

    def perform_update(self, serializer):
        if "group" in serializer.validated_data:
            self.require_write(serializer.validated_data["group"])
        serializer.instance = services.meeting_update(
            meeting=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, meeting):
        services.meeting_delete(meeting=meeting)


class ScheduleViewSet(MeetingAccessMixin, viewsets.ModelViewSet):
    """Schedules: wall-clock time in a home zone, repeating over local dates. Changing the
    timing raises `sequence` (the iCalendar SEQUENCE)."""

    serializer_class = ScheduleSerializer
    filterset_class = ScheduleFilter
    lookup_field = "uid"
    queryset = Schedule.objects.select_related("meeting__group").order_by("meeting__title", "pk")

    def meeting_of(self, schedule: Schedule) -> Meeting:
        return schedule.meeting

    def perform_create(self, serializer):
        self.require_write(serializer.validated_data["meeting"].group)
        serializer.instance = services.schedule_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.schedule_update(
            schedule=serializer.instance, **serializer.validated_data
        )

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

    def _set_status(self, serializer, schedule, original_date):
        data = serializer.validated_data
        record = services.occurrence_set_status(
            schedule=schedule,
            original_date=original_date,
            status=data.get("status", OccurrenceStatus.SCHEDULED),
            reason=data.get("reason", ""),
            moved_start=data.get("moved_start"),
            moved_duration_minutes=data.get("moved_duration_minutes"),
        )
        serializer.instance = self.get_queryset().get(pk=record.pk)

    def perform_create(self, serializer):
        schedule = serializer.validated_data["schedule"]
        self.require_write(schedule.meeting.group)
        self._set_status(serializer, schedule, serializer.validated_data["original_date"])

    def perform_update(self, serializer):
        record, data = serializer.instance, serializer.validated_data
        status = data.setdefault("status", record.status)
        # A new start or duration belongs to a move: it does not carry over to a cancellation.
        kept = (
            ("reason", "moved_start", "moved_duration_minutes")
            if status == "moved"
            else ("reason",)
        )
        for name in kept:
            data.setdefault(name, getattr(record, name))
        self._set_status(serializer, record.schedule, record.original_date)

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
        allowed = {*query.fields, "page", "page_size", "format"}
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {
                    name: [f"Unknown parameter; allowed: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
        query.is_valid(raise_exception=True)
        slots = selectors.slots_in_range(**query.validated_data)
        page = self.paginate_queryset(slots)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


routes = [
    ("meetings", MeetingViewSet),
    ("schedules", ScheduleViewSet),
    ("occurrences", OccurrenceViewSet),
    ("agenda-items", AgendaItemViewSet),
    ("occurrence-times", SlotViewSet),
]
