"""Admin: the main place where governance is edited, with history on every record; every save
and delete goes through governance.services, so the admin applies each rule where the API and
the importer do."""

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from simple_history.admin import SimpleHistoryAdmin

from governance import models, services


class RefusingAdmin(admin.ModelAdmin):
    """Every app's admin: an action the user may not run (each declares its permissions) is
    refused with 403 instead of passed over as "No action selected"."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            declared = {name for _, name, _ in self._get_base_actions()}
            refused = declared - self.get_actions(request).keys()
            if refused & set(request.POST.getlist("action")):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)


class HistoryAdmin(RefusingAdmin, SimpleHistoryAdmin):
    """An admin with history on each record (every model that keeps one)."""


@dataclasses.dataclass(frozen=True)
class Writes:
    """The services that write one model; `update` and `delete` take the record as `keyword`."""

    keyword: str
    create: Callable[..., Model]
    update: Callable[..., Any]
    delete: Callable[..., None]


WRITES: dict[type[Model], Writes] = {
    models.Person: Writes(
        "person", services.person_create, services.person_update, services.person_delete
    ),
    models.PersonLink: Writes(
        "link",
        services.person_link_create,
        services.person_link_update,
        services.person_link_delete,
    ),
    models.Group: Writes(
        "group", services.group_create, services.group_update, services.group_delete
    ),
    models.Committee: Writes(
        "committee", services.committee_set, services.committee_update, services.committee_delete
    ),
    models.Role: Writes("role", services.role_create, services.role_update, services.role_delete),
    models.Subproject: Writes(
        "subproject",
        services.subproject_create,
        services.subproject_update,
        services.subproject_delete,
    ),
    models.Channel: Writes(
        "channel", services.channel_create, services.channel_update, services.channel_delete
    ),
}


class ServiceAdmin(HistoryAdmin):
    """Every app's admin of a record written by services: the record and its inline rows are
    created, changed and deleted through the services `writes(model)` names, never by the
    form, so the admin applies each rule where the API and the importers do."""

    model_writes: Mapping[type[Model], Writes] = {}  # the services of each model it writes

    def writes(self, model: type[Model]) -> Writes:
        return self.model_writes[model]

    def form_fields(self, form) -> dict[str, Any]:
        """What a form sets: every field on a creation, else the fields it changed."""
        names = form.changed_data if form.instance.pk else form.cleaned_data
        return {name: form.cleaned_data[name] for name in names if name not in ("id", "DELETE")}

    def write_form(self, form) -> Model:
        """Create the form's record (the page's or an inline row), or change what it changed."""
        model = form._meta.model
        writes = self.writes(model)
        fields = self.form_fields(form)
        if form.instance.pk is None:
            return writes.create(**fields)
        # The form has already put its values on form.instance: change the stored record.
        stored = model._default_manager.get(pk=form.instance.pk)
        writes.update(**{writes.keyword: stored}, **fields)
        return stored

    def delete_record(self, record: Model) -> None:
        writes = self.writes(type(record))
        writes.delete(**{writes.keyword: record})

    def save_model(self, request, obj, form, change):
        obj.pk = self.write_form(form).pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): the services set the many-to-many fields with the record.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # fills the lists the change message reads
        for record in formset.deleted_objects:
            self.delete_record(record)
        for inline in formset.forms:
            if inline.has_changed() and inline not in formset.deleted_forms:
                self.write_form(inline)

    def delete_model(self, request, obj):
        self.delete_record(obj)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            self.delete_record(record)


class GovernanceAdmin(ServiceAdmin):
    """A governance model's admin: its records and inline rows written as WRITES says."""

    model_writes = WRITES


class RoleInline(admin.TabularInline):
    model = models.Role
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "kind", "start", "end"]


class PersonRoleInline(RoleInline):
    autocomplete_fields = ["group"]
    fields = ["group", "kind", "start", "end"]


class ChannelInline(admin.TabularInline):
    model = models.Channel
    extra = 0
    fields = ["kind", "name", "url", "description", "is_private", "subproject"]


class SubprojectInline(admin.StackedInline):
    model = models.Subproject
    extra = 0
    autocomplete_fields = ["leads"]
    fields = ["name", "description", "owners_files", "leads"]
    show_change_link = True


class CommitteeInline(admin.StackedInline):
    model = models.Committee
    can_delete = False
    extra = 0
    fields = models.Committee.CHARTER_FIELDS


class PersonLinkInline(admin.TabularInline):
    model = models.PersonLink
    extra = 0


@admin.register(models.Person)
class PersonAdmin(GovernanceAdmin):
    list_display = ["handle", "name", "affiliation", "time_zone"]
    list_filter = ["affiliation"]
    search_fields = ["handle", "name", "affiliation"]
    autocomplete_fields = ["user"]
    inlines = [PersonLinkInline, PersonRoleInline]
    fieldsets = [
        (None, {"fields": ["handle", "name", "pronouns", "affiliation", "time_zone"]}),
        ("Contact", {"fields": ["public_email", "private_email"]}),
        ("Login", {"fields": ["user"]}),
    ]


@admin.register(models.Group)
class GroupAdmin(GovernanceAdmin):
    list_display = ["name", "slug", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug", "label"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["stakeholder_groups"]
    inlines = [CommitteeInline, RoleInline, ChannelInline, SubprojectInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "label", "mission", "charter_url"]}),
        ("Status", {"fields": ["status", "status_since", "status_reason"]}),
        ("Charter", {"fields": ["leads_add_members"]}),
        ("Working group", {"fields": ["stakeholder_groups"], "classes": ["collapse"]}),
    ]


@admin.register(models.Role)
class RoleAdmin(GovernanceAdmin):
    list_display = ["person", "group", "kind", "start", "end"]
    list_filter = ["kind", "group__kind", "group", "person__affiliation"]
    search_fields = ["person__handle", "person__name", "group__name", "group__slug"]
    autocomplete_fields = ["person", "group"]
    list_select_related = ["person", "group"]
    date_hierarchy = "start"


@admin.register(models.Subproject)
class SubprojectAdmin(GovernanceAdmin):
    list_display = ["name", "group"]
    list_filter = ["group__kind", "group"]
    search_fields = ["name", "group__name", "group__slug"]
    autocomplete_fields = ["group", "leads"]
    list_select_related = ["group"]


@admin.register(models.Channel)
class ChannelAdmin(GovernanceAdmin):
    list_display = ["name", "kind", "group", "is_private"]
    list_filter = ["kind", "is_private"]
    search_fields = ["name", "group__name", "group__slug"]
    autocomplete_fields = ["group", "subproject"]
    list_select_related = ["group"]


@admin.register(models.Committee)
class CommitteeAdmin(GovernanceAdmin):
    list_display = ["group", "purpose", "seats", "term_months", "max_seats_per_affiliation"]
    list_filter = ["purpose"]
    search_fields = ["group__name"]
    autocomplete_fields = ["group"]
    list_select_related = ["group"]


# The elections' admin, registered from its own module.
import governance.elections.admin  # noqa: E402, F401
