"""Public governance pages."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from common.query import PAGE_NUMBER, read
from governance import selectors
from governance.forms import PersonFilterForm


@require_safe
def group_list(request):
    return render(request, "governance/group_list.html", {"sections": selectors.groups_by_kind()})


@require_safe
def group_detail(request, slug):
    return render(
        request,
        "governance/group_detail.html",
        {
            "detail": selectors.group_detail(slug=slug),
            "extra_sections": settings.AGORA_GROUP_PAGE_SECTIONS,
        },
    )


@require_safe
def person_list(request):
    form = PersonFilterForm(request.GET)
    page = selectors.person_list(
        **form.filters, page=read(request.GET, "page", PAGE_NUMBER, default=1)
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/person_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(form.filters.values()),
        },
    )


@require_safe
def person_detail(request, handle):
    detail = selectors.person_detail(handle=handle)
    if detail.person.handle != handle:
        return redirect(detail.person, permanent=True)
    return render(
        request,
        "governance/person_detail.html",
        {"detail": detail, "extra_sections": settings.AGORA_PERSON_PAGE_SECTIONS},
    )


@require_safe
def governance(request):
    return render(request, "governance/governance.html", selectors.governance_overview())
