import datetime

from django.urls import path, register_converter

from common.query import parse_date
from meetings import fairness_views, feeds, views

app_name = "meetings"


class IsoDateConverter:
    """A YYYY-MM-DD path segment as a date; an impossible date, or one outside the window of
    dates a request may name, does not match."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return parse_date(value)

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<slug:slug>/<isodate:day>/", views.occurrence_detail, name="occurrence-detail"),
    path("meetings/<slug:slug>/<isodate:day>/agenda/", views.agenda_edit, name="agenda-edit"),
    path(
        "meetings/<slug:slug>/<isodate:day>/event.ics",
        feeds.occurrence_event,
        name="occurrence-event",
    ),
    path("calendar/", views.calendar_builder, name="calendar-builder"),
    path("meetings/<slug:slug>/edit/", views.meeting_edit, name="meeting-edit"),
    # ?schedule=<uid> names the schedule to change; without it, a new one.
    path("meetings/<slug:slug>/schedule/", views.schedule_edit, name="schedule-edit"),
    path(
        "meetings/<slug:slug>/<isodate:day>/change/",
        views.occurrence_change,
        name="occurrence-change",
    ),
    path("calendar.ics", feeds.calendar_feed, name="calendar-feed"),
    path("groups/<slug:slug>/calendar.ics", feeds.group_feed, name="group-feed"),
    path("groups/<slug:slug>/find-a-time/", fairness_views.find_a_time, name="find-a-time"),
    path("meetings/<slug:slug>/calendar.ics", feeds.meeting_feed, name="meeting-feed"),
    path("people/<str:handle>/calendar.ics", feeds.person_feed, name="person-feed"),
]
