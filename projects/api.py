"""REST API for the project list, releases and proposals: anyone reads; staff holding the
model's permissions write (governance.permissions)."""

import dataclasses

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.query import BooleanQueryFilter
from governance.models import Group, Person
from governance.permissions import is_staff
from projects import selectors, services
from projects.models import (
    APIVersion,
    MaturityLevel,
    MaturityStep,
    Project,
    ProjectArea,
    ProjectChannel,
    Proposal,
    ProposalPerson,
    ProposalStatus,
    Release,
    Stage,
    TieIn,
    milestone_field,
)


def _service(call, **kwargs):
    """Run a service; its validation messages become a 400 naming the fields."""
    try:
        return call(**kwargs)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise serializers.ValidationError(detail) from error


class ServiceWrites:
    """A serializer that saves through its services: `create_with(**data)` and
    `update_with(<updated>=instance, **data)`, where `updated` names the instance argument."""

    create_with = update_with = updated = None

    def create(self, validated_data):
        return _service(type(self).create_with, **validated_data)

    def update(self, instance, validated_data):
        return _service(type(self).update_with, **{self.updated: instance}, **validated_data)


class ProjectAreaSerializer(ServiceWrites, serializers.ModelSerializer):
    create_with, update_with, updated = services.area_create, services.area_update, "area"

    class Meta:
        model = ProjectArea
        fields = ["slug", "name", "description", "position"]


class MaturityStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaturityStep
        fields = ["steward", "level", "date", "decision_url"]


class APIVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = APIVersion
        fields = ["api", "version"]


class ProjectChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectChannel
        fields = ["kind", "name", "url"]


class TieInSerializer(serializers.ModelSerializer):
    class Meta:
        model = TieIn
        fields = ["label", "url"]


class ProjectGroupSerializer(serializers.Serializer):
    group = serializers.CharField(source="group.slug")
    relation = serializers.CharField()


class ProjectSerializer(ServiceWrites, serializers.ModelSerializer):
    create_with, update_with, updated = services.project_create, services.project_update, "project"
    area = serializers.SlugRelatedField(slug_field="slug", queryset=ProjectArea.objects.all())
    current_level = serializers.CharField(
        read_only=True, allow_null=True, help_text="The level of the latest maturity step."
    )
    current_steward = serializers.CharField(read_only=True, allow_null=True)
    maturity = MaturityStepSerializer(source="maturity_steps", many=True, read_only=True)
    api_versions = APIVersionSerializer(many=True, read_only=True)
    channels = ProjectChannelSerializer(many=True, read_only=True)
    tie_ins = TieInSerializer(many=True, read_only=True)
    groups = ProjectGroupSerializer(source="group_links", many=True, read_only=True)
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Project
        fields = [
            "slug",
            "name",
            "area",
            "goal",
            "homepage_url",
            "repository_url",
            "releases_url",
            "tests_dashboard_url",
            "license",
            "current_level",
            "current_steward",
            "maturity",
            "api_versions",
            "channels",
            "tie_ins",
            "groups",
            "page",
        ]


class FeatureStatusSerializer(serializers.Serializer):
    release = serializers.CharField(source="release.version")
    supported = serializers.BooleanField()
    pull_requests = serializers.ListField(child=serializers.URLField())
    note = serializers.CharField()


class FeatureRowSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    statuses = FeatureStatusSerializer(many=True)


class FeatureMatrixReleaseSerializer(serializers.Serializer):
    project = serializers.CharField(source="project.slug")
    version = serializers.CharField()


class FeatureMatrixSerializer(serializers.Serializer):
    releases = FeatureMatrixReleaseSerializer(many=True)
    features = FeatureRowSerializer(many=True)


class ReleaseSerializer(ServiceWrites, serializers.ModelSerializer):
    create_with, update_with, updated = services.release_create, services.release_update, "release"
    project = serializers.SlugRelatedField(slug_field="slug", queryset=Project.objects.all())
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Release
        fields = [
            "id",
            "project",
            "version",
            "start_date",
            "enhancements_freeze",
            "code_freeze",
            "release_date",
            "page",
        ]


def _person(handle: str) -> Person:
    person = Person.objects.filter(handle__iexact=handle.lstrip("@")).first()
    if person is None:
        raise serializers.ValidationError(f"No person has the handle @{handle.lstrip('@')}.")
    return person


class PeopleField(serializers.ListField):
    """The handles of the people with one part (`role`) in a proposal, in order."""

    child = serializers.CharField()

    def __init__(self, *, role: str, **kwargs):
        self.role = role
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, proposal):
        return [
            link.person.handle for link in proposal.participants.all() if link.role == self.role
        ]

    def to_internal_value(self, data):
        return {self.field_name: [_person(handle) for handle in super().to_internal_value(data)]}


class ProductionReadinessField(serializers.DictField):
    """Production-readiness approvers: {stage: handle}."""

    child = serializers.CharField()

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, proposal):
        return {
            link.stage: link.person.handle
            for link in proposal.participants.all()
            if link.role == ProposalPerson.Role.PRR_APPROVER
        }

    def to_internal_value(self, data):
        approvers = super().to_internal_value(data)
        unknown = sorted(set(approvers) - set(Stage.values))
        if unknown:
            raise serializers.ValidationError(f"Not a stage: {', '.join(unknown)}.")
        return {self.field_name: {stage: _person(handle) for stage, handle in approvers.items()}}


@extend_schema_field(
    {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
)
class FeatureGatesField(serializers.DictField):
    """Feature gates: {name: [component, ...]}."""

    child = serializers.ListField(child=serializers.CharField())

    def __init__(self, **kwargs):
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, proposal):
        return {gate.name: gate.components for gate in proposal.feature_gates.all()}

    def to_internal_value(self, data):
        return {self.field_name: super().to_internal_value(data)}


class MilestoneField(serializers.CharField):
    """A release of the proposal's project, written as its version (v1.29)."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, allow_blank=True, **kwargs)

    def to_representation(self, release):
        return release.version


MILESTONES = ["latest_milestone", *(milestone_field(stage) for stage in Stage.values)]


class ProposalSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", queryset=Project.objects.all())
    owning_group = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), allow_null=True, required=False
    )
    participating_groups = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), many=True, required=False
    )
    authors = PeopleField(role=ProposalPerson.Role.AUTHOR)
    reviewers = PeopleField(role=ProposalPerson.Role.REVIEWER)
    approvers = PeopleField(role=ProposalPerson.Role.APPROVER)
    prr_approvers = ProductionReadinessField()
    feature_gates = FeatureGatesField()
    latest_milestone = MilestoneField()
    alpha_milestone = MilestoneField()
    beta_milestone = MilestoneField()
    stable_milestone = MilestoneField()
    deprecated_milestone = MilestoneField()
    disabled_milestone = MilestoneField()
    removed_milestone = MilestoneField()
    replaces = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Proposal.objects.all(), required=False
    )
    superseded_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "project",
            "number",
            "slug",
            "title",
            "summary",
            "owning_group",
            "participating_groups",
            "authors",
            "reviewers",
            "approvers",
            "prr_approvers",
            "status",
            "stage",
            *MILESTONES,
            "feature_gates",
            "disable_supported",
            "creation_date",
            "last_updated",
            "replaces",
            "superseded_by",
            "tracking_issue_url",
            "document_url",
            "flags",
            "source_path",
            "page",
        ]
        read_only_fields = ["source_path"]
        extra_kwargs = {"slug": {"required": False}}
        # Uniqueness is the service's to check, with the model's messages.
        validators = []

    def validate(self, attrs):
        project = attrs.get("project") or self.instance.project
        errors = {}
        for name in MILESTONES:
            version = attrs.get(name)
            if not version:
                if name in attrs:
                    attrs[name] = None
                continue
            release = Release.objects.filter(project=project).with_version(version).first()
            if release is None:
                errors[name] = f"{version} is not a release of {project.name}."
            attrs[name] = release
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    @staticmethod
    def _links(validated_data) -> services.ProposalLinks:
        """Take the links (people, groups, gates, replaced proposals) out of `validated_data`."""
        names = [field.name for field in dataclasses.fields(services.ProposalLinks)]
        return services.ProposalLinks(
            **{name: validated_data.pop(name) for name in names if name in validated_data}
        )

    def create(self, validated_data):
        links = self._links(validated_data)
        return _service(services.proposal_create, links=links, **validated_data)

    def update(self, instance, validated_data):
        if validated_data.get("project", instance.project) != instance.project:
            raise serializers.ValidationError(
                {"project": "A proposal cannot move to another project."}
            )
        links = self._links(validated_data)
        return _service(services.proposal_update, proposal=instance, links=links, **validated_data)


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


class EditableViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Read, create and change; deleting (refused while anything refers to a row) is left to
    the admin, which lists what is in the way."""


class ProjectAreaViewSet(EditableViewSet):
    """Areas of the project list, in their order."""

    queryset = ProjectArea.objects.all()
    serializer_class = ProjectAreaSerializer
    lookup_field = "slug"


class ProjectViewSet(EditableViewSet):
    """Projects with maturity, API versions, channels, tie-ins and groups."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        # Private channels are for staff only.
        return selectors.project_queryset(staff=is_staff(self.request.user)).prefetch_related(
            "maturity_steps"
        )

    @extend_schema(responses=FeatureMatrixSerializer)
    @action(detail=True, methods=["get"], url_path="feature-matrix")
    def feature_matrix(self, request, slug=None):
        """The project's features against the releases they were checked in."""
        matrix = selectors.feature_matrix(self.get_object())
        data = {
            "releases": matrix.releases,
            "features": [
                {
                    "name": feature.name,
                    "description": feature.description,
                    "statuses": [cell for cell in cells if cell is not None],
                }
                for feature, cells in matrix.rows
            ],
        }
        return Response(FeatureMatrixSerializer(data).data)


class ReleaseViewSet(EditableViewSet):
    """Releases, ordered by version number within each project."""

    queryset = Release.objects.select_related("project")
    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilterSet


class ProposalViewSet(EditableViewSet):
    """Enhancement proposals, filtered as on /enhancements/ and ordered by `ordering`
    (number, -number, -updated, -milestone, title)."""

    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet

    def get_queryset(self):
        people = ProposalPerson.objects.select_related("person")
        return (
            Proposal.objects.select_related("project", "owning_group", *MILESTONES)
            .prefetch_related(
                "participating_groups",
                "feature_gates",
                "replaces",
                "superseded_by",
                Prefetch("participants", queryset=people),
            )
            .order_by(*selectors.PROPOSAL_SORTS["number"][1])
        )


routes = [
    ("project-areas", ProjectAreaViewSet),
    ("projects", ProjectViewSet),
    ("releases", ReleaseViewSet),
    ("proposals", ProposalViewSet),
]
