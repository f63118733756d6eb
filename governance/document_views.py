"""Download pages of the generated documents (governance.exporters.documents): what a
community that still works in git commits, from the public records only."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from common.query import integer, read
from governance.exporters import documents
from governance.exporters.sigs_yaml import sigs_document
from governance.models import Group

YEAR = integer(minimum=2000, maximum=2200)


def _text(body: str, filename: str, content_type: str = "text/markdown") -> HttpResponse:
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def document_list(request):
    return render(
        request,
        "governance/documents.html",
        {
            "groups": Group.objects.active().order_by("kind", "name"),
            "year": documents.report_year(),
        },
    )


@require_safe
def sig_list(request):
    return _text(documents.sig_list(sigs_document()), "sig-list.md")


@require_safe
def owners_aliases(request):
    return _text(documents.owners_aliases(sigs_document()), "OWNERS_ALIASES", "text/plain")


@require_safe
def liaisons(request):
    return _text(documents.liaisons(sigs_document()), "liaisons.md")


@require_safe
def group_readme(request, slug):
    group = get_object_or_404(Group, slug=slug)
    data = documents.find(sigs_document(), slug)
    if data is None:  # archived: sigs.yaml lists it no more
        return _text(documents.archived_readme(group), "README.md")
    return _text(documents.group_readme(data, documents.meeting_lines(group)), "README.md")


@require_safe
def annual_report(request, slug):
    group = get_object_or_404(Group, slug=slug)
    year = read(request.GET, "year", YEAR, default=documents.report_year())
    body = documents.annual_report(document=sigs_document(), group=group, year=year)
    return _text(body, f"annual-report-{year}.md")
