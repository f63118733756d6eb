"""An enhancement proposal's page lists the meetings' agenda items that link to it: to its page
on this site, its tracking issue or its document. Private meetings' items only for their leads."""

import datetime

import pytest

from tests.factories import PersonFactory
from tests.meetings.factories import (
    AgendaItemFactory,
    MeetingFactory,
    OccurrenceFactory,
    ScheduleFactory,
)
from tests.projects.factories import ProposalFactory

pytestmark = pytest.mark.django_db

PAGE = "/enhancements/3299/"
TRACKING = "https://github.com/kubernetes/enhancements/issues/3299"
DOCUMENT = "https://github.com/kubernetes/enhancements/tree/master/keps/sig-auth/3299-kms-v2"
# ScheduleFactory's first date, the occurrence the items are on.
DAY = datetime.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def site_hosts(settings):
    """The names this site answers to."""
    settings.ALLOWED_HOSTS = ["testserver", "agora.example.org"]


@pytest.fixture
def proposal():
    return ProposalFactory(
        number=3299, title="KMS v2 Improvements", tracking_issue_url=TRACKING, document_url=DOCUMENT
    )


def agenda_item(link: str, *, meeting=None, title: str = "KMS v2: key rotation demo"):
    meeting = meeting or MeetingFactory(slug="sig-auth-biweekly", title="SIG Auth Biweekly")
    occurrence = OccurrenceFactory(schedule=ScheduleFactory(meeting=meeting))
    return AgendaItemFactory(occurrence=occurrence, title=title, link=link)


def agendas_section(client, path: str = PAGE) -> str:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('<section class="proposal-agendas"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    "link",
    [
        "http://testserver/enhancements/3299/",
        "https://testserver/enhancements/3299",
        "http://testserver:8031/enhancements/3299/",
        "https://agora.example.org/enhancements/3299/",
        "/enhancements/3299/",
        "/enhancements/3299",
        TRACKING,
        f"{TRACKING}/",
        DOCUMENT,
        f"{DOCUMENT}/",
    ],
)
def test_an_item_linking_to_the_proposal_is_listed_with_its_meeting_and_date(
    client, proposal, link
):
    agenda_item(link)

    section = agendas_section(client)

    assert '<a href="/meetings/sig-auth-biweekly/">SIG Auth Biweekly</a>' in section
    assert f'<a href="/meetings/sig-auth-biweekly/{DAY}/"><time datetime="{DAY}">' in section
    assert "Mon 5 Jan 2026" in section
    assert "KMS v2: key rotation demo" in section


@pytest.mark.parametrize(
    "link",
    [
        "",
        "https://elsewhere.example/enhancements/3299/",
        "https://agora.example.org.elsewhere.example/enhancements/3299/",
        "http://testserver/enhancements/13299/",
        "http://testserver/enhancements/3299/extra",
        f"{TRACKING}0",
        f"https://elsewhere.example/?next={TRACKING}",
    ],
)
def test_an_item_linking_elsewhere_is_left_out(client, proposal, link):
    agenda_item(link)

    section = agendas_section(client)

    assert "KMS v2: key rotation demo" not in section
    assert "No meeting agenda links to this proposal yet." in section


def test_a_proposal_without_a_tracking_issue_or_document_lists_no_unlinked_item(client):
    ProposalFactory(number=42, tracking_issue_url="", document_url="")
    agenda_item("")

    assert "No meeting agenda links to this proposal yet." in agendas_section(
        client, "/enhancements/42/"
    )


def test_items_are_listed_newest_occurrence_first(client, proposal):
    meeting = MeetingFactory(slug="sig-auth-biweekly", title="SIG Auth Biweekly")
    schedule = ScheduleFactory(meeting=meeting)
    for day, title in [(DAY, "Alpha feedback"), (datetime.date(2026, 2, 2), "Beta feedback")]:
        occurrence = OccurrenceFactory(schedule=schedule, original_date=day)
        AgendaItemFactory(occurrence=occurrence, title=title, link=TRACKING)

    section = agendas_section(client)

    assert section.index("Beta feedback") < section.index("Alpha feedback")


def test_a_private_meetings_item_is_left_out_for_readers_who_are_not_its_leads(
    client, proposal, group, lead, outsider
):
    closed = MeetingFactory(group=group, title="Closed session", is_private=True)
    agenda_item(TRACKING, meeting=closed, title="Confidential: KMS key escrow")

    html = client.get(PAGE).content.decode()
    assert "Confidential: KMS key escrow" not in html
    assert "Closed session" not in html

    client.force_login(outsider)
    assert "Confidential: KMS key escrow" not in agendas_section(client)

    client.force_login(lead)
    assert "Confidential: KMS key escrow" in agendas_section(client)


def test_staff_see_a_private_meetings_item(client, proposal, staff):
    agenda_item(TRACKING, meeting=MeetingFactory(is_private=True), title="Key escrow")
    client.force_login(staff)

    assert "Key escrow" in agendas_section(client)


def test_the_page_makes_the_same_queries_however_many_items_link_to_it(
    client, proposal, django_assert_num_queries
):
    def grow(count: int):
        for _ in range(count):
            item = agenda_item(TRACKING, meeting=MeetingFactory())
            item.presenter = PersonFactory()
            item.save()

    grow(1)
    with django_assert_num_queries(10):
        section = agendas_section(client)
    assert section.count("KMS v2: key rotation demo") == 1
    grow(4)
    with django_assert_num_queries(10):
        section = agendas_section(client)
    assert section.count("KMS v2: key rotation demo") == 5


def test_a_cancelled_occurrence_is_marked_and_a_scheduled_one_is_not(client, proposal):
    item = agenda_item(PAGE)
    assert "Cancelled" not in agendas_section(client)

    occurrence = item.occurrence
    occurrence.status, occurrence.reason = "cancelled", "Holiday"
    occurrence.save()

    assert '<span class="badge warn">Cancelled</span>' in agendas_section(client)
