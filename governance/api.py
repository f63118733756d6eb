"""REST API for governance records: (prefix, viewset) pairs the root router registers.

Anyone may read; staff holding the model's permissions write (governance.permissions), through
governance.services: serializer -> service -> read-back, errors through common.api's handler.
Private fields and private channels appear only to staff. Channels and subprojects are deleted
through their `<entity>_delete` service (204); people, groups, roles and committees are not
deleted here: groups are archived and roles ended, and the admin keeps the history of removals.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import ReadBackMixin
from governance import privacy, selectors, serializers, services
from governance.filters import (
    ChannelFilter,
    CommitteeFilter,
    GroupFilter,
    PersonFilter,
    RoleFilter,
    SubprojectFilter,
)
from governance.models import Role
from governance.permissions import model_permissions


class GovernanceViewSet(ReadBackMixin, viewsets.ModelViewSet):
    """Read by anyone, written by staff; DELETE only where a viewset offers it."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def include_private(self) -> bool:
        return privacy.sees_private_fields(self.request.user)


class DeletableViewSet(GovernanceViewSet):
    """DELETE answers 204 once perform_destroy has run the entity's delete service."""

    http_method_names = [*GovernanceViewSet.http_method_names, "delete"]


class PersonViewSet(GovernanceViewSet):
    """People, by GitHub handle (any case)."""

    lookup_field = "handle__iexact"
    lookup_url_kwarg = "handle"
    filterset_class = PersonFilter

    def get_queryset(self):
        return selectors.person_queryset()

    def get_serializer_class(self):
        if self.include_private():
            return serializers.StaffPersonSerializer
        return serializers.PersonSerializer


class GroupViewSet(GovernanceViewSet):
    """Groups, by slug, with their current leads and their channels."""

    lookup_field = "slug"
    serializer_class = serializers.GroupSerializer
    filterset_class = GroupFilter

    def get_queryset(self):
        return selectors.group_queryset(include_private=self.include_private())


class RoleViewSet(GovernanceViewSet):
    """Who holds which role in which group, and for which term."""

    serializer_class = serializers.RoleSerializer
    filterset_class = RoleFilter
    write_permissions = {"end": model_permissions(Role, "change")}

    def get_queryset(self):
        return selectors.role_queryset()

    @extend_schema(request=serializers.RoleEndSerializer, responses=serializers.RoleSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End the term: from `on` (default today) the person no longer holds the role."""
        form = serializers.RoleEndSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        role = services.role_end(role=self.get_object(), on=form.validated_data.get("on"))
        return Response(self.get_serializer(role).data)


class SubprojectViewSet(DeletableViewSet):
    """Subprojects of the groups, with their OWNERS files and leads."""

    serializer_class = serializers.SubprojectSerializer
    filterset_class = SubprojectFilter

    def get_queryset(self):
        return selectors.subproject_queryset(include_private=self.include_private())

    def perform_destroy(self, subproject):
        services.subproject_delete(subproject=subproject)


class ChannelViewSet(DeletableViewSet):
    """Contact channels of groups and subprojects; private ones only for staff."""

    serializer_class = serializers.ChannelSerializer
    filterset_class = ChannelFilter

    def get_queryset(self):
        return selectors.channel_queryset(include_private=self.include_private())

    def perform_destroy(self, channel):
        services.channel_delete(channel=channel)


class CommitteeViewSet(GovernanceViewSet):
    """Committee charters, by their group's slug, with the current seat holders."""

    lookup_field = "group__slug"
    lookup_url_kwarg = "slug"
    serializer_class = serializers.CommitteeSerializer
    filterset_class = CommitteeFilter

    def get_queryset(self):
        return selectors.committee_queryset()


routes = [
    ("people", PersonViewSet),
    ("groups", GroupViewSet),
    ("roles", RoleViewSet),
    ("subprojects", SubprojectViewSet),
    ("channels", ChannelViewSet),
    ("committees", CommitteeViewSet),
]
