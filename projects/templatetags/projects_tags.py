"""Links into the filtered proposal list, badge colours, pull request numbers, Markdown, and the
proposal and future-work lists that group and person pages include."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from common.markdown import sanitised_html
from governance.models import Group, Person
from projects import selectors
from projects.models import MaturityLevel, ProposalStatus

register = template.Library()

STATUS_BADGES = {
    ProposalStatus.IMPLEMENTED: "ok",
    ProposalStatus.IMPLEMENTABLE: "info",
    ProposalStatus.DEFERRED: "warn",
    ProposalStatus.REJECTED: "bad",
}
MATURITY_BADGES = {
    MaturityLevel.GRADUATED: "ok",
    MaturityLevel.STABLE: "ok",
    MaturityLevel.INCUBATING: "info",
    MaturityLevel.BETA: "info",
    MaturityLevel.SANDBOX: "warn",
    MaturityLevel.ALPHA: "warn",
    MaturityLevel.ARCHIVED: "bad",
}


def _url(query: dict[str, str]) -> str:
    path = reverse("projects:proposal-list")
    return f"{path}?{urlencode(query)}" if query else path


@register.simple_tag
def proposals_url(**filters) -> str:
    """/enhancements/ filtered by `filters` alone."""
    return _url({name: str(value) for name, value in filters.items() if value})


@register.simple_tag
def refine_url(filters: selectors.ProposalFilters, sort: str = "", **changes) -> str:
    """/enhancements/ with the current `filters` changed by `changes` (an empty value drops one)."""
    query = filters.query(**{name: str(value or "") for name, value in changes.items()})
    if sort and sort != "number":
        query["sort"] = sort
    return _url(query)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current page's URL showing page `number`."""
    query = context["request"].GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


@register.filter
def maturity_badge(level: str) -> str:
    return MATURITY_BADGES.get(level, "")


@register.filter
def link_label(url: str) -> str:
    """A URL as a reader says it: "kubernetes/enhancements#3299" for a GitHub issue or pull
    request, the address without its scheme otherwise."""
    parts = url.split("://", 1)[-1].rstrip("/").split("/")
    if parts[0] == "github.com" and len(parts) == 5 and parts[3] in {"issues", "pull"}:
        return f"{parts[1]}/{parts[2]}#{parts[4]}"
    return "/".join(parts)


@register.filter
def pull_request_label(url: str) -> str:
    """ "#29836" for a pull request URL, the URL itself otherwise."""
    number = url.rstrip("/").rsplit("/", 1)[-1]
    return f"#{number}" if "/pull/" in url and number.isdigit() else url


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown an evaluation or future-work item was written in, as sanitised HTML."""
    return sanitised_html(text)


@register.simple_tag
def group_future_work(group: Group) -> list:
    return selectors.group_future_work(group)


@register.simple_tag
def group_proposals(group: Group) -> dict:
    return selectors.group_proposals(group)


@register.simple_tag
def person_proposals(person: Person) -> dict:
    return selectors.person_proposals(person)
