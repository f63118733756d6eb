"""Bad input answers 400 naming the parameter (404 for an address), never 500: the audit's
URLs, control characters, far dates, methods a page does not implement, and API bodies.

These run on SQLite and, with DATABASE_URL set, on PostgreSQL, which refuses NUL in text.
"""

import datetime
import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from meetings.models import Meeting
from tests.demo import demo_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def community(django_db_setup, django_db_blocker):
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def staff_api(django_user_model):
    client = APIClient()
    client.force_authenticate(
        django_user_model.objects.create_user("input-staff", is_staff=True, is_superuser=True)
    )
    return client


# (URL, status, the parameter a 400 names)
AUDIT_URLS = [
    ("/api/v1/occurrence-times/?start=2026-11-31T00:00:00Z&end=2026-12-02T00:00:00Z", 400, "start"),
    ("/api/v1/occurrence-times/?start=2026-02-30T00:00:00Z&end=2026-03-02T00:00:00Z", 400, "start"),
    ("/api/v1/occurrence-times/?start=2026-11-01T25:00:00Z&end=2026-12-02T00:00:00Z", 400, "start"),
    ("/api/v1/occurrence-times/?start=2500-01-01T00:00:00Z&end=2500-02-01T00:00:00Z", 400, "start"),
    ("/meetings/?view=month&month=9999-12", 400, "month"),
    ("/meetings/?view=month&month=0001-01", 400, "month"),
    ("/meetings/?view=month&month=5000-01", 400, "month"),
    (
        "/enhancements/?project=kubernetes&group=sig-scheduling&status=provisional&stage=stable",
        200,
        "",
    ),
    ("/enhancements/?project=kubernetes&q=nomatchxyz", 200, ""),
    ("/projects/?area=x&maturity=graduated", 200, ""),
    ("/enhancements/?milestone=v1.30&stage=0", 400, "stage"),
    ("/enhancements/?status=done", 400, "status"),
    ("/people/%00/", 404, ""),
    ("/api/v1/people/%00/", 404, ""),
    ("/api/v1/groups/%01x/", 404, ""),
    ("/enhancements/?q=%00", 400, "q"),
    ("/calendar.ics?groups=%00", 400, "groups"),
    ("/people/?q=a%1Fb", 400, "q"),
    ("/api/v1/proposals/?q=%00", 400, "q"),
    ("/api/v1/people/?search=zzz", 400, "search"),
    ("/api/v1/people/?ordering=handle", 400, "ordering"),
    ("/api/v1/people/?page_size=null", 400, "page_size"),
    ("/api/v1/people/?page_size=0", 400, "page_size"),
    ("/api/v1/people/?page=abc", 400, "page"),
    ("/people/?page=abc", 400, "page"),
    ("/api/v1/occurrences/?date_from=0001-01-01", 400, "date_from"),
    ("/api/v1/roles/?current=maybe", 400, "current"),
]


def _named(response, url: str, parameter: str) -> bool:
    if url.startswith("/api/"):
        return parameter in response.json()
    # The month is a field of the list's filter form, shown with its error.
    named = "to 2200-12-31" if parameter == "month" else f"<code>{parameter}</code>"
    return named in response.content.decode()


def test_bad_input_is_named_never_a_server_error(client, community):
    wrong = []
    for url, status, parameter in AUDIT_URLS:
        response = client.get(url)
        if response.status_code != status or (
            status == 400 and not _named(response, url, parameter)
        ):
            wrong.append(f"{url}: {response.status_code}")
    assert not wrong


def test_a_month_out_of_the_window_says_which_dates_are_allowed(client, community):
    response = client.get("/meetings/", {"view": "month", "month": "2201-01"})
    assert response.status_code == 400
    assert "from 1970-01-01 to 2200-12-31" in response.content.decode()


def test_an_occurrence_date_out_of_the_window_is_not_found(client, community):
    slug = Meeting.objects.first().slug
    assert client.get(f"/meetings/{slug}/9999-12-29/").status_code == 404
    assert client.get(f"/meetings/{slug}/1969-12-31/").status_code == 404


def test_the_last_dates_of_the_window_cost_what_near_dates_cost(client, community):
    """Before: 175 s for 5000-01. Each far page is timed against the same page of near dates,
    a moment apart, so that a busy machine slows both."""
    meeting = f"/meetings/{Meeting.objects.first().slug}"
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=90)

    def seconds(url: str) -> float:
        began = time.perf_counter()
        assert client.get(url).status_code in {200, 404}
        return time.perf_counter() - began

    for far, near in [
        ("/meetings/?view=month&month=2200-12", f"/meetings/?view=month&month={today:%Y-%m}"),
        (
            "/api/v1/occurrence-times/?start=2200-10-01T00:00:00Z&end=2200-12-31T00:00:00Z",
            f"/api/v1/occurrence-times/?start={today}T00:00:00Z&end={soon}T00:00:00Z",
        ),
        (f"{meeting}/2200-12-29/", f"{meeting}/{today}/"),
        (f"{meeting}/2200-12-28/", f"{meeting}/{today - datetime.timedelta(days=1)}/"),
    ]:
        assert seconds(far) < 10 * seconds(near) + 0.5, far


def test_pages_answer_only_the_methods_they_implement(client, community):
    for url in ["/", "/people/", "/groups/", "/meetings/", "/enhancements/", "/calendar.ics"]:
        for method in ["post", "put", "delete", "patch", "trace", "options"]:
            assert getattr(client, method)(url).status_code == 405, f"{method} {url}"
        assert client.head(url).status_code == 200, url


def test_a_null_display_zone_is_a_400_naming_the_field(staff_api, community):
    slug = Meeting.objects.first().slug
    response = staff_api.patch(
        f"/api/v1/meetings/{slug}/", {"display_zones": [None]}, format="json"
    )
    assert response.status_code == 400 and "display_zones" in response.json()
    response = staff_api.patch(
        f"/api/v1/meetings/{slug}/", {"display_zones": ["Asia/Kolkata"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["display_zones"] == ["Asia/Kolkata"]


def test_a_deeply_nested_body_is_a_400(staff_api, community):
    slug = Meeting.objects.first().slug
    for depth in [40, 100_000]:
        body = '{"display_zones": ' + "[" * depth + "]" * depth + "}"
        response = staff_api.generic(
            "PATCH", f"/api/v1/meetings/{slug}/", body, content_type="application/json"
        )
        assert response.status_code == 400
        assert "nested deeper" in response.json()["detail"]


def test_a_nul_in_a_body_is_a_400_on_every_parser(staff_api, community):
    body = {"meeting": "a\x00b", "time_zone": "UTC", "first_date": "2026-12-01"}
    for format in ["json", "multipart"]:
        response = staff_api.post("/api/v1/schedules/", body, format=format)
        assert response.status_code == 400 and "NUL" in response.json()["detail"], format
    response = staff_api.generic(
        "POST",
        "/api/v1/schedules/",
        "meeting=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_proposals_are_ordered_by_the_ordering_filter(client, community):
    numbers = [
        row["number"]
        for row in client.get("/api/v1/proposals/?ordering=-number&page_size=5").json()["results"]
    ]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) == 5


def test_a_schedule_outside_the_window_or_more_than_daily_is_refused(staff_api, community):
    meeting = Meeting.objects.first()
    body = {
        "meeting": meeting.slug,
        "time_zone": "UTC",
        "first_date": "1900-01-01",
        "start_time": "10:00",
        "duration_minutes": 30,
        "frequency": "weekly",
    }
    response = staff_api.post("/api/v1/schedules/", body, format="json")
    assert response.status_code == 400 and "1970-01-01" in str(response.json()["first_date"])
    body.update(first_date=str(datetime.date(2026, 12, 1)), frequency="rrule", rrule="FREQ=HOURLY")
    response = staff_api.post("/api/v1/schedules/", body, format="json")
    assert response.status_code == 400 and "at most daily" in str(response.json()["rrule"])
