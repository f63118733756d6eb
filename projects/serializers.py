"""The projects API's serializers: each write goes to projects.services; a model's
ValidationError reaches the client through common.api.exception_handler."""

import dataclasses

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import Group, Person
from projects import models, services


class ProjectAreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ProjectArea
        fields = ["slug", "name", "description", "position"]

    def create(self, validated_data):
        return services.area_create(**validated_data)

    def update(self, instance, validated_data):
        return services.area_update(area=instance, **validated_data)


class MaturityStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.MaturityStep
        fields = ["steward", "level", "date", "decision_url"]


class APIVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.APIVersion
        fields = ["api", "version"]


class ProjectChannelSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.ProjectChannel
        fields = ["kind", "name", "url"]


class TieInSerializer(serializers.ModelSerializer):
    class Meta:
        model = models.TieIn
        fields = ["label", "url", "status", "status_date"]


class RelationSerializer(serializers.ModelSerializer):
    earlier = serializers.CharField(source="earlier.slug")
    later = serializers.CharField(source="later.slug")

    class Meta:
        model = models.ProjectRelation
        fields = ["earlier", "kind", "later", "date", "note"]


class ProjectGroupSerializer(serializers.Serializer):
    group = serializers.CharField(source="group.slug")
    relation = serializers.CharField()


class ProjectSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=models.ProjectArea.objects.all(),
        allow_null=True,
        required=False,
        help_text="Empty for a project of the landscape that is not on the project list.",
    )
    current_level = serializers.CharField(
        read_only=True, allow_null=True, help_text="The level of the latest maturity step."
    )
    current_steward = serializers.CharField(read_only=True, allow_null=True)
    maturity = MaturityStepSerializer(source="maturity_steps", many=True, read_only=True)
    api_versions = APIVersionSerializer(many=True, read_only=True)
    channels = ProjectChannelSerializer(many=True, read_only=True)
    tie_ins = TieInSerializer(many=True, read_only=True)
    groups = ProjectGroupSerializer(source="group_links", many=True, read_only=True)
    previous = RelationSerializer(
        source="relations_in", many=True, read_only=True, help_text="Projects it came after."
    )
    next = RelationSerializer(
        source="relations_out", many=True, read_only=True, help_text="Projects that came after."
    )
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = models.Project
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
            "previous",
            "next",
            "page",
        ]

    def create(self, validated_data):
        return services.project_create(**validated_data)

    def update(self, instance, validated_data):
        return services.project_update(project=instance, **validated_data)


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


class ReleaseSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", queryset=models.Project.objects.all())
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = models.Release
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

    def create(self, validated_data):
        return services.release_create(**validated_data)

    def update(self, instance, validated_data):
        return services.release_update(release=instance, **validated_data)


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
            if link.role == models.ProposalPerson.Role.PRR_APPROVER
        }

    def to_internal_value(self, data):
        approvers = super().to_internal_value(data)
        unknown = sorted(set(approvers) - set(models.Stage.values))
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


MILESTONES = ["latest_milestone", *(models.milestone_field(stage) for stage in models.Stage.values)]


class ProposalSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", queryset=models.Project.objects.all())
    owning_group = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), allow_null=True, required=False
    )
    participating_groups = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), many=True, required=False
    )
    authors = PeopleField(role=models.ProposalPerson.Role.AUTHOR)
    reviewers = PeopleField(role=models.ProposalPerson.Role.REVIEWER)
    approvers = PeopleField(role=models.ProposalPerson.Role.APPROVER)
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
        many=True, queryset=models.Proposal.objects.all(), required=False
    )
    superseded_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = models.Proposal
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
            release = models.Release.objects.filter(project=project).with_version(version).first()
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
        return services.proposal_create(links=links, **validated_data)

    def update(self, instance, validated_data):
        if validated_data.get("project", instance.project) != instance.project:
            raise serializers.ValidationError(
                {"project": "A proposal cannot move to another project."}
            )
        links = self._links(validated_data)
        return services.proposal_update(proposal=instance, links=links, **validated_data)


class UpdateSerializer(serializers.Serializer):
    date = serializers.DateField()
    version = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")


class EvaluationSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=models.LandscapeCategory.objects.all()
    )
    project = serializers.SlugRelatedField(
        slug_field="slug", queryset=models.Project.objects.all(), allow_null=True, required=False
    )
    compared = serializers.SlugRelatedField(
        slug_field="slug", queryset=models.Project.objects.all(), many=True, required=False
    )
    author = serializers.SlugRelatedField(
        slug_field="handle", queryset=Person.objects.all(), allow_null=True, required=False
    )
    last_seen = serializers.DateField(
        read_only=True, allow_null=True, help_text="The latest of its date and its updates'."
    )
    updates = UpdateSerializer(many=True, read_only=True)
    page = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = models.Evaluation
        fields = [
            "slug",
            "title",
            "category",
            "kind",
            "project",
            "compared",
            "evaluated_on",
            "version",
            "last_seen",
            "body",
            "references",
            "link",
            "author",
            "updates",
            "page",
        ]

    def create(self, validated_data):
        return services.evaluation_create(**validated_data)

    def update(self, instance, validated_data):
        return services.evaluation_update(evaluation=instance, **validated_data)


class ToEvaluateSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="slug", queryset=models.Project.objects.all())
    picked_up_by = serializers.SlugRelatedField(
        slug_field="handle", queryset=Person.objects.all(), allow_null=True, required=False
    )
    evaluated = serializers.BooleanField(
        read_only=True, help_text="Done: the project has an evaluation."
    )

    class Meta:
        model = models.EvaluationRequest
        fields = ["id", "project", "url", "depth", "priority", "note", "picked_up_by", "evaluated"]

    def create(self, validated_data):
        return services.evaluation_request_create(**validated_data)

    def update(self, instance, validated_data):
        return services.evaluation_request_update(evaluation_request=instance, **validated_data)


class FutureWorkSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(
        slug_field="slug", queryset=models.Project.objects.all(), allow_null=True, required=False
    )
    owning_group = serializers.SlugRelatedField(
        slug_field="slug", queryset=Group.objects.all(), allow_null=True, required=False
    )
    picked_up_by = serializers.SlugRelatedField(
        slug_field="handle", queryset=Person.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = models.FutureWork
        fields = [
            "slug",
            "title",
            "description",
            "status",
            "status_url",
            "project",
            "owning_group",
            "picked_up_by",
            "position",
        ]

    def create(self, validated_data):
        return services.future_work_create(**validated_data)

    def update(self, instance, validated_data):
        return services.future_work_update(future_work=instance, **validated_data)
