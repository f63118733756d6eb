"""Governance pages, and the editor of a group's page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from common.history import last_saved
from common.query import PAGE_NUMBER, read
from common.services import EditConflict
from governance import permissions as rules
from governance import selectors, services
from governance.forms import (
    ChannelFormSet,
    GroupPageForm,
    MemberForm,
    PersonFilterForm,
    SubprojectFormSet,
)
from governance.models import Group

GROUP_EDIT = rules.model_permissions(Group, "change")


@require_safe
def group_list(request):
    return render(request, "governance/group_list.html", {"sections": selectors.groups_by_kind()})


@require_safe
def group_detail(request, slug):
    if (detail := selectors.group_detail(slug=slug)) is None:
        raise Http404(f"No group {slug!r}.")
    return render(
        request,
        "governance/group_detail.html",
        {
            "detail": detail,
            "extra_sections": settings.AGORA_GROUP_PAGE_SECTIONS,
            "can_edit": rules.may_write(request.user, GROUP_EDIT, groups=[detail.group.pk]),
            "change": last_saved(detail.group),
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
    if (detail := selectors.person_detail(handle=handle)) is None:
        raise Http404(f"No person {handle!r}.")
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


def refuse(request, *, what: str, group, back: str, meeting=None, organisers=()):
    """The 403 page of a site form someone may not use: why not, and who may."""
    context = {
        "what": what,
        "group": group,
        "meeting": meeting,
        "organisers": organisers,
        "back": back,
        "person": selectors.person_of(request.user),
    }
    return render(request, "forbidden.html", context, status=403)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def group_edit(request, slug):
    """A group's mission, charter link, public channels and subprojects, saved all at once;
    and, where its charter lets its leads, a member added."""
    group = get_object_or_404(Group, slug=slug)
    if not rules.may_write(request.user, GROUP_EDIT, groups=[group.pk]):
        return refuse(
            request, what=f"the page of {group.name}", group=group, back=group.get_absolute_url()
        )
    channels = group.channels.public().filter(subproject__isnull=True)
    posted = request.POST if request.method == "POST" and "add_member" not in request.POST else None
    form = GroupPageForm(
        posted,
        initial={
            "version": group.version,
            "mission": group.mission,
            "charter_url": group.charter_url,
        },
    )
    channel_rows = ChannelFormSet(
        posted,
        prefix="channels",
        initial=list(channels.values("id", "kind", "name", "url", "description")),
    )
    subproject_rows = SubprojectFormSet(
        posted,
        prefix="subprojects",
        initial=list(group.subprojects.values("id", "name", "description")),
    )
    member = MemberForm(request.POST if "add_member" in request.POST else None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if member.is_bound and member.is_valid():
                role = services.member_add(group=group, handle=member.cleaned_data["handle"])
                messages.success(request, f"@{role.person.handle} is a member of {group.name}.")
                return redirect("governance:group-edit", slug=group.slug)
            if (
                posted
                and form.is_valid()
                and channel_rows.is_valid()
                and subproject_rows.is_valid()
            ):
                services.group_page_save(
                    group=group,
                    expected_version=form.cleaned_data["version"],
                    fields={name: form.cleaned_data[name] for name in ("mission", "charter_url")},
                    channels=channel_rows.entries(),
                    subprojects=subproject_rows.entries(),
                )
                messages.success(request, f"The page of {group.name} is saved.")
                return redirect(group)
        except EditConflict as conflict:
            form.data = form.data.copy()
            form.data["version"] = conflict.version
            form.add_error(
                None,
                "Someone saved this page after you opened it; nothing of yours was saved. Your "
                "changes are still in the form: check the group's page for theirs, then save "
                "again.",
            )
            status = 409
        except ValidationError as error:
            (member if member.is_bound else form).add_error(None, error.messages)
    context = {
        "group": group,
        "form": form,
        "channel_rows": channel_rows,
        "subproject_rows": subproject_rows,
        # Where leads may not add members, a refused attempt still reads why.
        "member": member if group.leads_add_members or member.is_bound else None,
        "change": last_saved(group),
    }
    return render(request, "governance/group_form.html", context, status=status)
