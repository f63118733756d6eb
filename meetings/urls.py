from django.urls import path

from meetings import feeds

app_name = "meetings"

urlpatterns = [
    path("calendar.ics", feeds.calendar_feed, name="calendar-feed"),
    path("groups/<slug:slug>/calendar.ics", feeds.group_feed, name="group-feed"),
    path("meetings/<slug:slug>/calendar.ics", feeds.meeting_feed, name="meeting-feed"),
    path("people/<str:handle>/calendar.ics", feeds.person_feed, name="person-feed"),
]
