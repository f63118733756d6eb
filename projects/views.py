"""Public pages: the project list, enhancement proposals and release tracking."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from common.query import PAGE_NUMBER, integer, one_of, parse_boolean, read
from projects import selectors
from projects.models import FutureWorkStatus, LandscapeCategory, Priority, ProposalStatus, Stage


@require_safe
def project_list(request):
    listing = selectors.project_list(
        area=request.GET.get("area", ""),
        maturity=request.GET.get("maturity", ""),
        sort=request.GET.get("sort", "name"),
        viewer=request.user,
    )
    return render(
        request,
        "projects/project_list.html",
        {"listing": listing, "sorts": selectors.PROJECT_SORTS},
    )


@require_safe
def project_detail(request, slug):
    project = selectors.project_detail(slug=slug, viewer=request.user)
    if project is None:
        raise Http404("No project with this slug.")
    return render(request, "projects/project_detail.html", {"project": project})


@require_safe
def proposal_list(request):
    choices = {"status": ProposalStatus.values, "stage": Stage.values}
    query = {
        **request.GET.dict(),
        **{name: read(request.GET, name, one_of(values), "") for name, values in choices.items()},
    }
    search = selectors.proposal_search(
        filters=selectors.ProposalFilters.from_query(query),
        sort=request.GET.get("sort", "number"),
        page=read(request.GET, "page", PAGE_NUMBER, default=1),
    )
    return render(request, "projects/proposal_list.html", {"search": search})


@require_safe
def proposal_detail(request, number=None, slug=""):
    proposals = selectors.proposals_numbered(
        number=number, slug=slug, project=request.GET.get("project", "")
    )
    if len(proposals) != 1:
        return _none_or_several(request, proposals, f"Proposals numbered {number or slug}")
    proposal = selectors.proposal_detail(proposal_id=proposals[0].pk)
    return render(
        request,
        "projects/proposal_detail.html",
        {
            "proposal": proposal,
            "extra_sections": settings.AGORA_PROPOSAL_PAGE_SECTIONS,
            # What other apps' sections know of the proposal: the addresses that point at it.
            "page_links": [
                proposal.get_absolute_url(),
                proposal.tracking_issue_url,
                proposal.document_url,
            ],
        },
    )


@require_safe
def release_list(request):
    return render(request, "projects/release_list.html", {"releases": selectors.release_list()})


@require_safe
def release_detail(request, version):
    releases = selectors.releases_numbered(version=version, project=request.GET.get("project", ""))
    if len(releases) != 1:
        return _none_or_several(request, releases, f"Releases numbered {version}")
    tracking = selectors.release_tracking(release=releases[0])
    return render(request, "projects/release_detail.html", {"tracking": tracking})


@require_safe
def _none_or_several(request, matches: list, what: str):
    """404 when nothing matched; a page to choose when several projects share the number."""
    if not matches:
        raise Http404(f"{what}: none.")
    return render(request, "projects/choose.html", {"choices": matches, "what": what})


@require_safe
def landscape(request):
    """The landscape notebook: evaluations by category, and the list of what to evaluate next."""
    categories = LandscapeCategory.objects.values_list("slug", flat=True)
    priorities = integer(minimum=min(Priority.values), maximum=max(Priority.values))
    notebook = selectors.landscape(
        category=read(request.GET, "category", one_of(list(categories)), ""),
        stale=read(request.GET, "stale", parse_boolean, False),
        priority=read(request.GET, "priority", priorities, None),
    )
    return render(request, "projects/landscape.html", {"landscape": notebook})


@require_safe
def evaluation_detail(request, slug):
    evaluation = selectors.evaluation_detail(slug=slug)
    if evaluation is None:
        raise Http404("No evaluation with this slug.")
    return render(request, "projects/evaluation_detail.html", {"evaluation": evaluation})


@require_safe
def help_wanted(request):
    """Future work anyone could pick up, and the recommended ways to deploy."""
    status = read(request.GET, "status", one_of(FutureWorkStatus.values), "")
    return render(
        request, "projects/help_wanted.html", {"wanted": selectors.help_wanted(status=status)}
    )
