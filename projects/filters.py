"""The projects API's filter sets: each parameter is one the strict filter backend allows
(common.api.StrictDjangoFilterBackend) and narrows the rows as the pages do."""

from django_filters import rest_framework as filters

from common.query import BooleanQueryFilter
from projects import selectors
from projects.models import (
    Evaluation,
    EvaluationRequest,
    FutureWork,
    FutureWorkStatus,
    MaturityLevel,
    Priority,
    Project,
    Proposal,
    ProposalStatus,
    Release,
    Stage,
)


class ProposalFilterSet(filters.FilterSet):
    """The filters of /enhancements/: each narrows as on the page."""

    q = filters.CharFilter(label="Text in the number, title, summary or feature gates")
    project = filters.CharFilter(label="Project slug")
    group = filters.CharFilter(label="Owning group slug")
    status = filters.ChoiceFilter(choices=ProposalStatus.choices)
    stage = filters.ChoiceFilter(
        choices=Stage.choices,
        label="Current stage; with milestone, the stage reached in that release",
    )
    milestone = filters.CharFilter(label="Release version, such as v1.29")
    author = filters.CharFilter(label="Author handle")
    affiliation = filters.CharFilter(label="An author's affiliation")
    flagged = BooleanQueryFilter(label="Only flagged proposals")
    ordering = filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in selectors.PROPOSAL_SORTS.items()],
        label="Order of the rows (default number)",
        error_messages={
            "invalid_choice": f"Order by one of: {', '.join(selectors.PROPOSAL_SORTS)}."
        },
    )

    class Meta:
        model = Proposal
        fields = []

    def filter_queryset(self, queryset):
        data = {name: value for name, value in self.form.cleaned_data.items() if value}
        data["flagged"] = "yes" if data.get("flagged") else ""
        ordering = selectors.PROPOSAL_SORTS[data.get("ordering") or "number"][1]
        return selectors.ProposalFilters.from_query(data).apply(queryset).order_by(*ordering)


class ProjectFilterSet(filters.FilterSet):
    area = filters.CharFilter(field_name="area__slug", label="Area slug")
    maturity = filters.ChoiceFilter(
        field_name="current_level", choices=MaturityLevel.choices, label="Current maturity level"
    )

    class Meta:
        model = Project
        fields = []


class ReleaseFilterSet(filters.FilterSet):
    project = filters.CharFilter(field_name="project__slug", label="Project slug")
    version = filters.CharFilter(method="filter_version", label="Version, such as v1.29")

    class Meta:
        model = Release
        fields = []

    def filter_version(self, queryset, name, value):
        return queryset.with_version(value)


class EvaluationFilterSet(filters.FilterSet):
    """The filters of /landscape/."""

    category = filters.CharFilter(field_name="category__slug", label="Category slug")
    project = filters.CharFilter(field_name="project__slug", label="Project slug")
    stale = BooleanQueryFilter(method="filter_stale", label="Only those due for review")

    class Meta:
        model = Evaluation
        fields = []

    def filter_stale(self, queryset, name, value):
        before = selectors.stale_before()
        return queryset.filter(last_seen__lt=before) if value else queryset


class EvaluationRequestFilterSet(filters.FilterSet):
    priority = filters.ChoiceFilter(choices=Priority.choices, label="Priority (0 is P0)")

    class Meta:
        model = EvaluationRequest
        fields = []


class FutureWorkFilterSet(filters.FilterSet):
    """The filters of /help-wanted/."""

    status = filters.ChoiceFilter(choices=FutureWorkStatus.choices)
    group = filters.CharFilter(field_name="owning_group__slug", label="Owning group slug")

    class Meta:
        model = FutureWork
        fields = []
