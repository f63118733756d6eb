"""Admin: the main place where governance is edited, with history on every record."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from governance.models import (
    Channel,
    Committee,
    Group,
    Person,
    PersonLink,
    Role,
    Subproject,
)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every app's admin: history on each record, and an action the user may not run (each
    declares its permissions) refused with 403 instead of passed over as "No action selected"."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            declared = {name for _, name, _ in self._get_base_actions()}
            refused = declared - self.get_actions(request).keys()
            if refused & set(request.POST.getlist("action")):
                raise PermissionDenied
        return super().changelist_view(request, extra_context)


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "kind", "start", "end"]


class PersonRoleInline(RoleInline):
    autocomplete_fields = ["group"]
    fields = ["group", "kind", "start", "end"]


class ChannelInline(admin.TabularInline):
    model = Channel
    extra = 0
    fields = ["kind", "name", "url", "description", "is_private", "subproject"]


class SubprojectInline(admin.StackedInline):
    model = Subproject
    extra = 0
    autocomplete_fields = ["leads"]
    fields = ["name", "description", "owners_files", "leads"]
    show_change_link = True


class CommitteeInline(admin.StackedInline):
    model = Committee
    can_delete = False
    extra = 0
    fields = [
        "purpose",
        "seats",
        "term_months",
        "max_seats_per_affiliation",
        "reporting_email",
        "reporting_url",
    ]


class PersonLinkInline(admin.TabularInline):
    model = PersonLink
    extra = 0


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
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


@admin.register(Group)
class GroupAdmin(HistoryAdmin):
    list_display = ["name", "slug", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "slug", "label"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["stakeholder_groups"]
    inlines = [CommitteeInline, RoleInline, ChannelInline, SubprojectInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "slug", "label", "mission", "charter_url"]}),
        ("Status", {"fields": ["status", "status_since", "status_reason"]}),
        ("Working group", {"fields": ["stakeholder_groups"], "classes": ["collapse"]}),
    ]


@admin.register(Role)
class RoleAdmin(HistoryAdmin):
    list_display = ["person", "group", "kind", "start", "end"]
    list_filter = ["kind", "group__kind", "group", "person__affiliation"]
    search_fields = ["person__handle", "person__name", "group__name", "group__slug"]
    autocomplete_fields = ["person", "group"]
    list_select_related = ["person", "group"]
    date_hierarchy = "start"


@admin.register(Subproject)
class SubprojectAdmin(HistoryAdmin):
    list_display = ["name", "group"]
    list_filter = ["group__kind", "group"]
    search_fields = ["name", "group__name", "group__slug"]
    autocomplete_fields = ["group", "leads"]
    list_select_related = ["group"]


@admin.register(Channel)
class ChannelAdmin(HistoryAdmin):
    list_display = ["name", "kind", "group", "is_private"]
    list_filter = ["kind", "is_private"]
    search_fields = ["name", "group__name", "group__slug"]
    autocomplete_fields = ["group", "subproject"]
    list_select_related = ["group"]


@admin.register(Committee)
class CommitteeAdmin(HistoryAdmin):
    list_display = ["group", "purpose", "seats", "term_months", "max_seats_per_affiliation"]
    list_filter = ["purpose"]
    search_fields = ["group__name"]
    autocomplete_fields = ["group"]
    list_select_related = ["group"]
