"""Public pages: the project list, enhancement proposals and release tracking."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from common.query import PAGE_NUMBER, one_of, read
from governance.permissions import is_staff
from projects import selectors
from projects.models import ProposalStatus, Stage


@require_safe
def project_list(request):
    listing = selectors.project_list(
        area=request.GET.get("area", ""),
        maturity=request.GET.get("maturity", ""),
        sort=request.GET.get("sort", "name"),
        staff=is_staff(request.user),
    )
    return render(
        request,
        "projects/project_list.html",
        {"listing": listing, "sorts": selectors.PROJECT_SORTS},
    )


@require_safe
def project_detail(request, slug):
    project = selectors.project_detail(slug=slug, staff=is_staff(request.user))
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
