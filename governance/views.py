"""Public governance pages."""

from django.shortcuts import render

from governance import selectors


def group_list(request):
    return render(
        request, "governance/group_list.html", {"groups_by_kind": selectors.groups_by_kind()}
    )


def group_detail(request, slug):
    return render(
        request, "governance/group_detail.html", {"group": selectors.group_detail(slug=slug)}
    )


def person_list(request):
    return render(request, "governance/person_list.html", {"people": selectors.person_list()})


def person_detail(request, handle):
    return render(
        request, "governance/person_detail.html", {"person": selectors.person_detail(handle=handle)}
    )


def governance(request):
    return render(request, "governance/governance.html", selectors.governance_overview())
