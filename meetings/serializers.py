"""The meetings API's serializers: writes go through meetings.services."""

import datetime

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from common.query import QuerySerializerField, parse_instant
from governance.models import Group, Person
from governance.timezones import validate_time_zone
from meetings import fairness, privacy, recurrence, selectors, services
from meetings.models import AgendaItem, Meeting, Occurrence, OccurrenceStatus, Schedule

MAX_RANGE = datetime.timedelta(days=92)
AGENDA_ITEM_DEFAULTS = {
    "presenter": None,
    "presenter_name": "",
    "minutes_allotted": None,
    "link": "",
}


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
            *privacy.MEETING_FIELDS,
            "display_zones",
            "is_private",
            "details_hidden",
            "page_url",
            "created_at",
            "updated_at",
        ]

    def get_details_hidden(self, meeting: Meeting) -> bool:
        return not _shows_private(self, meeting)

    def create(self, validated_data):
        return services.meeting_create(**validated_data)

    def update(self, instance, validated_data):
        return services.meeting_update(meeting=instance, **validated_data)

    def get_page_url(self, meeting: Meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())

    def to_representation(self, meeting):
        data = super().to_representation(meeting)
        if data["details_hidden"]:
            data.update(dict.fromkeys(privacy.MEETING_FIELDS, ""))
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

    def create(self, validated_data):
        return services.schedule_create(**validated_data)

    def update(self, instance, validated_data):
        return services.schedule_update(schedule=instance, **validated_data)

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
            *privacy.RECORD_FIELDS,
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
            data.update(dict.fromkeys(privacy.RECORD_FIELDS, ""), agenda_items=[])
        return data

    def create(self, validated_data):
        """Cancel, move or restore the occurrence, creating its record if it had none."""
        return self._set_status(validated_data)

    def update(self, record, validated_data):
        data = {
            **validated_data,
            "schedule": record.schedule,
            "original_date": record.original_date,
        }
        status = data.setdefault("status", record.status)
        # A new start or duration belongs to a move: it does not carry over to a cancellation.
        kept = (
            ("reason", "moved_start", "moved_duration_minutes")
            if status == OccurrenceStatus.MOVED
            else ("reason",)
        )
        for name in kept:
            data.setdefault(name, getattr(record, name))
        return self._set_status(data)

    @staticmethod
    def _set_status(data) -> Occurrence:
        return services.occurrence_set_status(
            schedule=data["schedule"],
            original_date=data["original_date"],
            status=data.get("status", OccurrenceStatus.SCHEDULED),
            reason=data.get("reason", ""),
            moved_start=data.get("moved_start"),
            moved_duration_minutes=data.get("moved_duration_minutes"),
        )


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


# -- Who meets at night (meetings.fairness): zones and counts, never a member's name ----------


class BurdenQuerySerializer(serializers.Serializer):
    """The query of a meeting's or a group's night-burden figures."""

    weeks = serializers.IntegerField(
        min_value=1, max_value=26, required=False, help_text="Weeks ahead (default 12)."
    )


class SlotSearchQuerySerializer(BurdenQuerySerializer):
    """The query of a group's slot suggestions."""

    day = serializers.ChoiceField(
        choices=list(fairness.WEEKDAYS), required=False, help_text="Weekday (default monday)."
    )
    zone = serializers.CharField(
        required=False,
        validators=[validate_time_zone],
        help_text="IANA zone whose clock the slots keep (default: the group's first meeting's).",
    )
    minutes = serializers.IntegerField(
        min_value=15, max_value=240, required=False, help_text="Length (default 60)."
    )


class ZoneBurdenSerializer(serializers.Serializer):
    zone = serializers.CharField(help_text="IANA zone of these members.")
    members = serializers.IntegerField()
    occurrences = serializers.IntegerField()
    nights = serializers.IntegerField(help_text="Occurrences touching these members' night.")
    weekends = serializers.IntegerField(help_text="Occurrences on these members' weekend.")
    burdened = serializers.IntegerField(help_text="Occurrences at night or on the weekend.")
    share = serializers.FloatField(help_text="burdened / occurrences.")


@extend_schema_field(OpenApiTypes.STR)
class LocalTimeField(serializers.Field):
    """An aware local time as ISO 8601 with its UTC offset (DRF's DateTimeField would turn it
    into the site's zone)."""

    def to_representation(self, value: datetime.datetime) -> str:
        return value.isoformat()


class ZoneTimeSerializer(serializers.Serializer):
    zone = serializers.CharField()
    members = serializers.IntegerField()
    start = LocalTimeField(help_text="Local start with its UTC offset.")
    end = LocalTimeField(help_text="Local end with its UTC offset.")
    night = serializers.BooleanField()
    weekend = serializers.BooleanField()


class OccurrenceBurdenSerializer(serializers.Serializer):
    start = serializers.DateTimeField(source="sitting.start", help_text="UTC instant.")
    end = serializers.DateTimeField(source="sitting.end", help_text="UTC instant.")
    part = serializers.CharField(source="sitting.part", help_text="Its schedule (rotation).")
    members_at_night = serializers.IntegerField()
    members_burdened = serializers.IntegerField()
    times = ZoneTimeSerializer(many=True)


class RotationPartSerializer(serializers.Serializer):
    part = serializers.CharField()
    occurrences = serializers.IntegerField()
    zones = ZoneBurdenSerializer(many=True)


class BurdenSerializer(serializers.Serializer):
    """The burden of some occurrences on the members' zones."""

    members = serializers.IntegerField(help_text="Members with a known zone.")
    unknown_zones = serializers.IntegerField(
        source="unknown", help_text="Members whose zone is not known (not counted)."
    )
    share = serializers.FloatField(
        help_text="Share of member attendances at night or on the weekend."
    )
    worst_zone_share = serializers.FloatField(source="worst")
    carriers = serializers.SerializerMethodField(help_text="The zones that carry it most.")
    zones = ZoneBurdenSerializer(many=True)
    rotation = RotationPartSerializer(many=True)
    occurrences = OccurrenceBurdenSerializer(many=True)

    def get_carriers(self, burden) -> list[str]:
        return [zone.zone for zone in burden.carriers]


class NightRuleSerializer(serializers.Serializer):
    night_start = serializers.TimeField(help_text="Local time a member's night starts.")
    night_end = serializers.TimeField()
    weekend = serializers.SerializerMethodField(help_text="Weekdays that count as weekend.")

    def get_weekend(self, rule) -> list[str]:
        return [fairness.WEEKDAYS[day] for day in sorted(rule.weekend)]


class MeetingTimesSerializer(serializers.Serializer):
    group = serializers.CharField(source="group.slug")
    weeks = serializers.IntegerField()
    rule = serializers.SerializerMethodField()
    burden = BurdenSerializer()

    @extend_schema_field(NightRuleSerializer)
    def get_rule(self, times):
        return NightRuleSerializer(selectors.night_rule()).data


class CandidateStartSerializer(serializers.Serializer):
    start = serializers.TimeField(help_text="Wall-clock start in the search zone.")
    zone_lines = ZoneLineSerializer(many=True, help_text="Its first occurrence in display zones.")

    def to_representation(self, instance):
        start, lines = instance
        lines = ZoneLineSerializer(lines, many=True).data
        return {"start": f"{start:%H:%M:%S}", "zone_lines": lines}


class CandidateSerializer(serializers.Serializer):
    starts = serializers.SerializerMethodField(
        help_text="One start (weekly), or two taken week about."
    )
    zone = serializers.CharField(help_text="The zone whose clock the starts keep.")
    worst_zone_share = serializers.FloatField(source="burden.worst")
    share = serializers.FloatField(source="burden.share")
    spread = serializers.FloatField(source="burden.spread")
    zones = ZoneBurdenSerializer(source="burden.zones", many=True)

    @extend_schema_field(CandidateStartSerializer(many=True))
    def get_starts(self, candidate):
        lines = selectors.candidate_lines(self.context["search"], candidate)
        return CandidateStartSerializer(zip(candidate.starts, lines, strict=True), many=True).data


class SlotSearchSerializer(serializers.Serializer):
    group = serializers.CharField(source="group.slug")
    zone = serializers.CharField()
    first = serializers.DateField(help_text="The first candidate date.")
    minutes = serializers.IntegerField()
    weeks = serializers.IntegerField()
    members = serializers.IntegerField(help_text="Members with a known zone.")
    unknown_zones = serializers.IntegerField(source="unknown")
    weekly = CandidateSerializer(many=True, help_text="Best first.")
    alternating = CandidateSerializer(
        many=True, help_text="Week-about pairs; the first minimises the worst-off zone."
    )
