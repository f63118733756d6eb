"""Admin: where staff edit the project list, releases, proposals and the landscape notebook,
with history on each; every save and delete of a record and of its inline rows goes through
projects.services, as meetings' admin does."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import ngettext

from governance.admin import ServiceAdmin, Writes
from projects import models, services


def _record(name: str) -> Writes:
    """A record written by services.<name>_create, <name>_update and <name>_delete."""
    actions = ("create", "update", "delete")
    return Writes(name, *(getattr(services, f"{name}_{action}") for action in actions))


def _part(model: type[Model]) -> Writes:
    """An inline row of a record, written by services.part_save and part_delete."""
    return Writes(
        "part",
        create=lambda **fields: services.part_save(part=model(), fields=fields),
        update=lambda *, part, **fields: services.part_save(part=part, fields=fields),
        delete=services.part_delete,
    )


class ServicesAdmin(ServiceAdmin):
    """A projects record's admin: the record through its own services, inline rows as parts."""

    record = ""  # the services' name for the record, and their argument holding it

    def writes(self, model: type[Model]) -> Writes:
        return _record(self.record) if model is self.model else _part(model)


class RecommendationInline(admin.StackedInline):
    model = models.DeploymentRecommendation
    extra = 0


class ProjectInline(admin.TabularInline):
    model = models.Project
    extra = 0
    fields = ["name", "slug"]
    show_change_link = True


@admin.register(models.ProjectArea)
class ProjectAreaAdmin(ServicesAdmin):
    record = "area"
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProjectInline, RecommendationInline]


class ProjectGroupInline(admin.TabularInline):
    model = models.ProjectGroup
    extra = 0
    autocomplete_fields = ["group"]


class MaturityStepInline(admin.TabularInline):
    model = models.MaturityStep
    extra = 0


class APIVersionInline(admin.TabularInline):
    model = models.APIVersion
    extra = 0


class ProjectChannelInline(admin.TabularInline):
    model = models.ProjectChannel
    extra = 0


class TieInInline(admin.TabularInline):
    model = models.TieIn
    extra = 0


class RelationInline(admin.TabularInline):
    model = models.ProjectRelation
    fk_name = "earlier"
    extra = 0
    autocomplete_fields = ["later"]
    verbose_name = "later project"
    verbose_name_plural = "projects that came after this one"


class FeatureInline(admin.TabularInline):
    model = models.Feature
    extra = 0
    fields = ["name", "description", "position"]
    show_change_link = True


class MaturityFilter(admin.SimpleListFilter):
    """Filter projects by the level of their latest maturity step."""

    title = "current maturity"
    parameter_name = "maturity"

    def lookups(self, request, model_admin):
        return models.MaturityStep._meta.get_field("level").choices

    def queryset(self, request, queryset):
        return queryset.at_level(self.value()) if self.value() else queryset


@admin.register(models.Project)
class ProjectAdmin(ServicesAdmin):
    record = "project"
    list_display = ["name", "area", "license", "repository_url"]
    list_filter = ["area", MaturityFilter, "groups"]
    search_fields = ["name", "slug", "goal"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["area"]
    inlines = [
        ProjectGroupInline,
        MaturityStepInline,
        APIVersionInline,
        ProjectChannelInline,
        TieInInline,
        RelationInline,
        FeatureInline,
    ]
    fieldsets = [
        (None, {"fields": ["name", "slug", "area", "goal", "license"]}),
        (
            "Artifacts",
            {"fields": ["homepage_url", "repository_url", "releases_url", "tests_dashboard_url"]},
        ),
    ]


class FeatureStatusInline(admin.TabularInline):
    model = models.FeatureStatus
    extra = 0
    autocomplete_fields = ["release"]


@admin.register(models.Feature)
class FeatureAdmin(ServicesAdmin):
    record = "feature"
    list_display = ["name", "project", "position"]
    list_filter = ["project"]
    search_fields = ["name", "project__name"]
    list_select_related = ["project"]
    inlines = [FeatureStatusInline]


@admin.register(models.Release)
class ReleaseAdmin(ServicesAdmin):
    record = "release"
    list_display = [
        "version",
        "project",
        "start_date",
        "enhancements_freeze",
        "code_freeze",
        "release_date",
    ]
    list_filter = ["project"]
    search_fields = ["version", "project__name"]
    list_select_related = ["project"]
    date_hierarchy = "release_date"


class ProposalPersonInline(admin.TabularInline):
    model = models.ProposalPerson
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["role", "person", "stage", "position"]


class FeatureGateInline(admin.TabularInline):
    model = models.FeatureGate
    extra = 0


class FlaggedFilter(admin.SimpleListFilter):
    title = "flagged"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Flagged"), ("no", "Not flagged")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.flagged()
        if self.value() == "no":
            return queryset.filter(flags=[])
        return queryset


MILESTONE_FIELDS = [
    "latest_milestone",
    "alpha_milestone",
    "beta_milestone",
    "stable_milestone",
    "deprecated_milestone",
    "disabled_milestone",
    "removed_milestone",
]


LINK_FIELDS = ["participating_groups", "replaces"]


@admin.register(models.Proposal)
class ProposalAdmin(ServicesAdmin):
    record = "proposal"
    list_display = ["label", "title", "owning_group", "status", "stage", "latest_milestone"]
    list_display_links = ["label", "title"]
    list_filter = [FlaggedFilter, "status", "stage", "project", "owning_group"]
    search_fields = ["=number", "title", "slug", "summary", "feature_gates__name"]
    list_select_related = ["owning_group", "latest_milestone"]
    autocomplete_fields = ["owning_group", "participating_groups", "replaces", *MILESTONE_FIELDS]
    prepopulated_fields = {"slug": ["number", "title"]}
    inlines = [ProposalPersonInline, FeatureGateInline]
    actions = ["clear_flags"]
    fieldsets = [
        (None, {"fields": ["project", "number", "slug", "title", "summary"]}),
        ("Groups", {"fields": ["owning_group", "participating_groups"]}),
        ("Status", {"fields": ["status", "stage", "disable_supported", "replaces"]}),
        ("Milestones", {"fields": MILESTONE_FIELDS}),
        (
            "Dates and links",
            {"fields": ["creation_date", "last_updated", "tracking_issue_url", "document_url"]},
        ),
        ("Import", {"fields": ["source_path", "flags"]}),
    ]

    def form_fields(self, form) -> dict:
        """The proposal's fields, with its groups and replaced proposals as its links."""
        fields = super().form_fields(form)
        if form._meta.model is not models.Proposal:
            return fields
        links = {name: fields.pop(name) for name in LINK_FIELDS if name in fields}
        return {**fields, "links": services.ProposalLinks(**links)}

    @admin.action(
        description="Clear flags of the selected proposals (after review)", permissions=["change"]
    )
    def clear_flags(self, request, queryset):
        cleared = 0
        for proposal in queryset.flagged():
            try:
                services.proposal_clear_flags(proposal=proposal)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                cleared += 1
        message = ngettext(
            "Cleared the flags of %d proposal.", "Cleared the flags of %d proposals.", cleared
        )
        self.message_user(request, message % cleared, messages.SUCCESS)


class EvaluationInline(admin.TabularInline):
    model = models.Evaluation
    extra = 0
    fields = ["title", "slug", "evaluated_on", "version"]
    show_change_link = True


@admin.register(models.LandscapeCategory)
class LandscapeCategoryAdmin(ServicesAdmin):
    record = "category"
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EvaluationInline]


class EvaluationUpdateInline(admin.StackedInline):
    model = models.EvaluationUpdate
    extra = 0


@admin.register(models.Evaluation)
class EvaluationAdmin(ServicesAdmin):
    record = "evaluation"
    list_display = ["title", "category", "kind", "evaluated_on", "version", "project"]
    list_filter = ["category", "kind"]
    search_fields = ["title", "slug", "body"]
    list_select_related = ["category", "project"]
    autocomplete_fields = ["project", "compared", "author"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "evaluated_on"
    inlines = [EvaluationUpdateInline]


@admin.register(models.EvaluationRequest)
class EvaluationRequestAdmin(ServicesAdmin):
    record = "evaluation_request"
    list_display = ["project", "priority", "depth", "picked_up_by"]
    list_filter = ["priority", "depth"]
    search_fields = ["project__name", "note"]
    list_select_related = ["project", "picked_up_by"]
    autocomplete_fields = ["project", "picked_up_by"]


@admin.register(models.FutureWork)
class FutureWorkAdmin(ServicesAdmin):
    record = "future_work"
    list_display = ["title", "status", "owning_group", "picked_up_by", "position"]
    list_filter = ["status", "owning_group"]
    search_fields = ["title", "description"]
    list_select_related = ["owning_group", "picked_up_by"]
    autocomplete_fields = ["project", "owning_group", "picked_up_by"]
    prepopulated_fields = {"slug": ["title"]}
