"""API representations of governance records; every write goes through governance.services.

Model rules run in the services' full_clean(), so serializers keep no validators of their own
beyond field formats (`validators = []` turns off DRF's copies of the model constraints).
"""

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from governance import privacy, services
from governance.models import (
    Channel,
    Committee,
    Group,
    Person,
    PersonLink,
    Role,
    Subproject,
    handle_validator,
)

HANDLE_TAKEN = next(
    constraint.violation_error_message
    for constraint in Person._meta.constraints
    if constraint.name == "person_handle_unique_ci"
)


class HandleField(serializers.SlugRelatedField):
    """A person named by their handle, whatever its case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Person.objects.all())
        super().__init__(slug_field="handle", **kwargs)

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(handle__iexact=str(data))
        except Person.DoesNotExist:
            self.fail("does_not_exist", slug_name="handle", value=data)


class GroupSlugField(serializers.SlugRelatedField):
    """A group named by its slug."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Group.objects.all())
        super().__init__(slug_field="slug", **kwargs)


class PageUrlMixin(serializers.Serializer):
    """The absolute URL of the object's public page."""

    html_url = serializers.SerializerMethodField()

    def get_html_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class PersonLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonLink
        fields = ["label", "url"]


class PersonSerializer(PageUrlMixin, serializers.ModelSerializer):
    handle = serializers.CharField(
        max_length=39,
        validators=[
            handle_validator,
            # Reported on the field: the model's constraint is on Lower("handle"), not a field.
            UniqueValidator(queryset=Person.objects.all(), lookup="iexact", message=HANDLE_TAKEN),
        ],
    )
    links = PersonLinkSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "handle",
            "name",
            "pronouns",
            "affiliation",
            "time_zone",
            "public_email",
            "links",
            "html_url",
        ]
        validators = []

    def create(self, validated_data):
        return services.person_create(**validated_data)

    def update(self, instance, validated_data):
        services.person_update(person=instance, **validated_data)
        return instance


class StaffPersonSerializer(PersonSerializer):
    """A person with the fields only staff may see."""

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, *privacy.PRIVATE_PERSON_FIELDS]


class ChannelSerializer(serializers.ModelSerializer):
    group = GroupSlugField()
    subproject = serializers.PrimaryKeyRelatedField(
        queryset=Subproject.objects.all(), allow_null=True, required=False
    )
    link = serializers.CharField(read_only=True, help_text="Where a reader goes to use it.")

    class Meta:
        model = Channel
        fields = [
            "id",
            "group",
            "subproject",
            "kind",
            "name",
            "url",
            "link",
            "description",
            "is_private",
        ]
        validators = []

    def create(self, validated_data):
        return services.channel_create(**validated_data)

    def update(self, instance, validated_data):
        services.channel_update(channel=instance, **validated_data)
        return instance


class NestedChannelSerializer(serializers.ModelSerializer):
    """A channel inside its group or subproject."""

    class Meta:
        model = Channel
        fields = ["kind", "name", "link", "description", "is_private"]
        read_only_fields = fields


class RoleHolderSerializer(serializers.ModelSerializer):
    """Who holds a role in a group, inside that group."""

    handle = serializers.CharField(source="person.handle", read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)
    affiliation = serializers.CharField(source="person.affiliation", read_only=True)

    class Meta:
        model = Role
        fields = ["handle", "name", "affiliation", "kind", "start", "end"]
        read_only_fields = fields


class GroupSerializer(PageUrlMixin, serializers.ModelSerializer):
    stakeholder_groups = GroupSlugField(many=True, required=False)
    current_leads = RoleHolderSerializer(
        source="current_roles",
        many=True,
        read_only=True,
        help_text="Chairs, technical leads and leads serving now.",
    )
    channels = NestedChannelSerializer(
        source="visible_channels", many=True, read_only=True, help_text="The group's channels."
    )

    class Meta:
        model = Group
        fields = [
            "slug",
            "name",
            "kind",
            "status",
            "status_since",
            "status_reason",
            "mission",
            "charter_url",
            "label",
            "stakeholder_groups",
            "current_leads",
            "channels",
            "html_url",
        ]
        extra_kwargs = {"kind": {"required": True}}
        validators = []

    def create(self, validated_data):
        return services.group_create(**validated_data)

    def update(self, instance, validated_data):
        services.group_update(group=instance, **validated_data)
        return instance


class RoleSerializer(serializers.ModelSerializer):
    person = HandleField()
    group = GroupSlugField()
    is_current = serializers.BooleanField(read_only=True)
    is_emeritus = serializers.BooleanField(
        read_only=True, help_text="A leadership role whose term has ended."
    )

    class Meta:
        model = Role
        fields = ["id", "person", "group", "kind", "start", "end", "is_current", "is_emeritus"]
        validators = []

    def create(self, validated_data):
        return services.role_create(**validated_data)

    def update(self, instance, validated_data):
        services.role_update(role=instance, **validated_data)
        return instance


class RoleEndSerializer(serializers.Serializer):
    """When a role's term ends."""

    on = serializers.DateField(
        required=False, help_text="The first day without the role; today when left out."
    )


class SubprojectSerializer(serializers.ModelSerializer):
    group = GroupSlugField()
    owners_files = serializers.ListField(
        child=serializers.URLField(max_length=500), required=False, help_text="OWNERS file URLs."
    )
    leads = HandleField(many=True, required=False)
    channels = NestedChannelSerializer(source="visible_channels", many=True, read_only=True)

    class Meta:
        model = Subproject
        fields = ["id", "group", "name", "description", "owners_files", "leads", "channels"]
        validators = []

    def create(self, validated_data):
        return services.subproject_create(**validated_data)

    def update(self, instance, validated_data):
        services.subproject_update(subproject=instance, **validated_data)
        return instance


class CommitteeSerializer(serializers.ModelSerializer):
    group = GroupSlugField(
        validators=[
            UniqueValidator(
                queryset=Committee.objects.all(),
                message="This group already has a committee charter.",
            )
        ]
    )
    members = RoleHolderSerializer(
        source="group.seat_roles",
        many=True,
        read_only=True,
        help_text="Current holders of the committee's seats.",
    )

    class Meta:
        model = Committee
        fields = ["group", *Committee.CHARTER_FIELDS, "members"]
        validators = []

    def create(self, validated_data):
        return services.committee_set(**validated_data)

    def validate_group(self, group):
        if self.instance and group != self.instance.group:
            raise serializers.ValidationError("A committee charter stays with its group.")
        return group

    def update(self, instance, validated_data):
        validated_data.pop("group", None)
        return services.committee_set(group=instance.group, **validated_data)
