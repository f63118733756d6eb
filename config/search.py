"""One search over everything a reader looks for: groups, people, meetings, minutes and agendas,
projects, evaluations, proposals and future work, ranked, each result with its kind.

It spans the apps, so it lives above them (config). PostgreSQL ranks with its full-text search
(django.contrib.postgres.search); another database (SQLite in development and tests) matches the
text anywhere in the same fields and ranks a match in a title above one in the text. Rows are
narrowed by the apps' privacy modules first: the public never finds what it may not read, and no
private field (a private e-mail, a private channel) is among the fields searched.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, CharField, FloatField, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.urls import reverse

from governance.models import Group, Person
from meetings import privacy as meeting_privacy
from meetings.models import AgendaItem, Meeting, Occurrence
from projects.models import Evaluation, FutureWork, Project, Proposal

# Results of each kind, and in all.
PER_KIND = 20
TOTAL = 60
# Shortest query worth searching for: one letter matches nearly everything.
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class Kind:
    """What one kind of result is searched in and how it is shown."""

    label: str
    rows: Callable[[object], QuerySet]  # viewer -> the rows they may find
    titles: tuple[str, ...]  # weighed most
    texts: tuple[str, ...]  # weighed less
    title: Callable[[object], str]
    url: Callable[[object], str]
    summary: Callable[[object], str] = lambda row: ""


@dataclass(frozen=True)
class Result:
    kind: str
    title: str
    url: str
    summary: str
    rank: float


def _proposals(viewer) -> QuerySet:
    return Proposal.objects.select_related("project").annotate(
        number_text=Cast("number", CharField())
    )


KINDS = [
    Kind(
        "Group",
        lambda viewer: Group.objects.all(),
        ("name", "slug", "label"),
        ("mission",),
        title=lambda row: row.name,
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: row.mission,
    ),
    Kind(
        "Person",
        lambda viewer: Person.objects.all(),
        ("handle", "name"),
        ("affiliation",),
        title=lambda row: row.display_name,
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: " · ".join(filter(None, [f"@{row.handle}", row.affiliation])),
    ),
    Kind(
        "Meeting",
        lambda viewer: Meeting.objects.select_related("group"),
        ("title", "slug"),
        ("description",),
        title=lambda row: row.title,
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: row.group.name,
    ),
    Kind(
        "Minutes",
        lambda viewer: meeting_privacy.visible_records(
            Occurrence.objects.exclude(minutes="").select_related("schedule__meeting"), viewer
        ),
        (),
        ("minutes",),
        title=lambda row: f"{row.schedule.meeting.title}, {row.original_date:%-d %b %Y}",
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: row.minutes,
    ),
    Kind(
        "Agenda item",
        lambda viewer: meeting_privacy.visible_agenda_items(
            AgendaItem.objects.select_related("occurrence__schedule__meeting"), viewer
        ),
        ("title",),
        (),
        title=lambda row: row.title,
        url=lambda row: row.occurrence.get_absolute_url(),
        summary=lambda row: (
            f"{row.occurrence.schedule.meeting.title}, {row.occurrence.original_date:%-d %b %Y}"
        ),
    ),
    Kind(
        "Project",
        lambda viewer: Project.objects.all(),
        ("name", "slug"),
        ("goal",),
        title=lambda row: row.name,
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: row.goal,
    ),
    Kind(
        "Evaluation",
        lambda viewer: Evaluation.objects.select_related("category"),
        ("title", "slug"),
        ("body", "version"),
        title=lambda row: row.title,
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: row.category.name,
    ),
    Kind(
        "Proposal",
        _proposals,
        ("title", "number_text", "slug"),
        ("summary",),
        title=lambda row: f"{row.label}: {row.title}",
        url=lambda row: row.get_absolute_url(),
        summary=lambda row: row.summary,
    ),
    Kind(
        "Future work",
        lambda viewer: FutureWork.objects.all(),
        ("title",),
        ("description",),
        title=lambda row: row.title,
        url=lambda row: reverse("projects:help-wanted") + f"#{row.slug}",
        summary=lambda row: row.get_status_display(),
    ),
]


def _contains(fields: tuple[str, ...], q: str) -> Q:
    condition = Q(pk__in=[])
    for field in fields:
        condition |= Q(**{f"{field}__icontains": q})
    return condition


def _ranked_postgres(kind: Kind, rows: QuerySet, q: str) -> QuerySet:
    query = SearchQuery(q, search_type="websearch", config="english")
    vector = None
    for fields, weight in [(kind.titles, "A"), (kind.texts, "B")]:
        if fields:
            part = SearchVector(*fields, weight=weight, config="english")
            vector = part if vector is None else vector + part
    return (
        rows.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(Q(document=query) | _contains(kind.titles, q))
        .order_by("-rank")
    )


def _ranked_elsewhere(kind: Kind, rows: QuerySet, q: str) -> QuerySet:
    exact = Q(pk__in=[])
    for field in kind.titles:
        exact |= Q(**{f"{field}__iexact": q})
    rank = Case(
        When(exact, then=Value(2.0)),
        When(_contains(kind.titles, q), then=Value(1.0)),
        default=Value(0.4),
        output_field=FloatField(),
    )
    return rows.filter(_contains(kind.titles + kind.texts, q)).annotate(rank=rank).order_by("-rank")


def search(q: str, *, viewer=None) -> list[Result]:
    """What matches `q` that `viewer` may read, best first (at most TOTAL)."""
    q = q.strip()
    if len(q) < MIN_QUERY_LENGTH:
        return []
    ranked = _ranked_postgres if connection.vendor == "postgresql" else _ranked_elsewhere
    results = []
    for kind in KINDS:
        for row in ranked(kind, kind.rows(viewer), q)[:PER_KIND]:
            results.append(
                Result(kind.label, kind.title(row), kind.url(row), kind.summary(row), row.rank)
            )
    results.sort(key=lambda result: -result.rank)
    return results[:TOTAL]
