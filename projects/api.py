"""REST API for the project list, releases and proposals: anyone reads; staff holding the
model's permissions write (governance.permissions), through projects.services: a write goes
serializer (projects.serializers) -> service -> read-back; DELETE goes through the entity's
`<entity>_delete` service and answers 204; errors only through common.api.exception_handler."""

from django.db.models import Exists, OuterRef, Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ReadBackMixin
from projects import selectors, serializers, services
from projects.filters import (
    EvaluationFilterSet,
    EvaluationRequestFilterSet,
    FutureWorkFilterSet,
    ProjectFilterSet,
    ProposalFilterSet,
    ReleaseFilterSet,
)
from projects.models import (
    Evaluation,
    EvaluationRequest,
    FutureWork,
    ProjectArea,
    ProjectRelation,
    Proposal,
    ProposalPerson,
    Release,
)


class ProjectAreaViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Areas of the project list, in their order."""

    queryset = ProjectArea.objects.all()
    serializer_class = serializers.ProjectAreaSerializer
    lookup_field = "slug"

    def perform_destroy(self, area):
        services.area_delete(area=area)


class ProjectViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Projects with maturity, API versions, channels, tie-ins and groups."""

    serializer_class = serializers.ProjectSerializer
    filterset_class = ProjectFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.project_queryset(viewer=self.request.user).prefetch_related(
            "maturity_steps",
            Prefetch("relations_in", queryset=ProjectRelation.objects.select_related("earlier")),
            Prefetch("relations_out", queryset=ProjectRelation.objects.select_related("later")),
        )

    def perform_destroy(self, project):
        services.project_delete(project=project)

    @extend_schema(responses=serializers.FeatureMatrixSerializer)
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
        return Response(serializers.FeatureMatrixSerializer(data).data)


class ReleaseViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Releases, ordered by version number within each project."""

    queryset = Release.objects.select_related("project")
    serializer_class = serializers.ReleaseSerializer
    filterset_class = ReleaseFilterSet

    def perform_destroy(self, release):
        services.release_delete(release=release)


class ProposalViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Enhancement proposals, filtered as on /enhancements/ and ordered by `ordering`
    (number, -number, -updated, -milestone, title)."""

    serializer_class = serializers.ProposalSerializer
    filterset_class = ProposalFilterSet

    def get_queryset(self):
        people = ProposalPerson.objects.select_related("person")
        return (
            Proposal.objects.select_related("project", "owning_group", *serializers.MILESTONES)
            .prefetch_related(
                "participating_groups",
                "feature_gates",
                "replaces",
                "superseded_by",
                Prefetch("participants", queryset=people),
            )
            .order_by(*selectors.PROPOSAL_SORTS["number"][1])
        )

    def perform_destroy(self, proposal):
        services.proposal_delete(proposal=proposal)


class EvaluationViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Evaluations of the landscape, filtered as on /landscape/ (`stale`: due for review)."""

    serializer_class = serializers.EvaluationSerializer
    filterset_class = EvaluationFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.evaluation_rows(Evaluation.objects.all()).prefetch_related(
            "compared", "updates"
        )

    def perform_destroy(self, evaluation):
        services.evaluation_delete(evaluation=evaluation)


class EvaluationRequestViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """The to-evaluate list, by priority; `evaluated` once the project has an evaluation."""

    serializer_class = serializers.ToEvaluateSerializer
    filterset_class = EvaluationRequestFilterSet

    def get_queryset(self):
        return EvaluationRequest.objects.select_related("project", "picked_up_by").annotate(
            evaluated=Exists(Evaluation.objects.filter(project=OuterRef("project")))
        )

    def perform_destroy(self, evaluation_request):
        services.evaluation_request_delete(evaluation_request=evaluation_request)


class FutureWorkViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Future work (help wanted), filtered as on /help-wanted/."""

    serializer_class = serializers.FutureWorkSerializer
    filterset_class = FutureWorkFilterSet
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.future_work_rows(FutureWork.objects.all())

    def perform_destroy(self, future_work):
        services.future_work_delete(future_work=future_work)


routes = [
    ("project-areas", ProjectAreaViewSet),
    ("projects", ProjectViewSet),
    ("releases", ReleaseViewSet),
    ("proposals", ProposalViewSet),
    ("evaluations", EvaluationViewSet),
    ("evaluation-requests", EvaluationRequestViewSet),
    ("future-work", FutureWorkViewSet),
]
