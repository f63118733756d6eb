"""The OpenAPI schema class: what the API answers, described as it behaves.

Kept out of config/api.py: DRF imports that module while its settings load, and
drf-spectacular's AutoSchema imports DRF's views, which read those settings.
"""

from drf_spectacular import openapi
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    """An error: `detail`, or a list of messages under each field or parameter named."""

    detail = serializers.CharField(required=False)


# A time of day as DRF reads and writes it: local wall time, no UTC offset (so not "format: time").
WALL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


# Text the control-character middleware lets through (common.query.CONTROL_CHARACTERS).
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, also saying what every operation answers besides success,
    that anyone reads, and the types of fields as they really are."""

    def get_auth(self):
        auths = super().get_auth()
        if self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] != "query" or parameter.get("required"):
                continue
            # An empty value is no value: `?kind=` lists every kind, as the pages' forms send it.
            parameter["allowEmptyValue"] = True
            schema = parameter["schema"]
            if schema.get("type") == "string" and not {"enum", "format", "pattern"} & set(schema):
                schema["pattern"] = PLAIN_TEXT
        return parameters

    def _error_codes(self) -> dict[str, str]:
        codes = {
            "400": "A parameter or field is wrong: each is named with why.",
            "403": "Not allowed for these credentials (or none).",
            "429": "Too many requests: try again later.",
        }
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            codes["404"] = "No such object, or no such page."
        if self.method in {"POST", "PUT", "PATCH"}:
            codes["415"] = "The body is not JSON or a form."
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_codes().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = description
        # The app server's own answer to an address longer than it reads, not the API's.
        responses.setdefault("414", {"description": "The address is too long."})
        return responses

    def _insert_field_validators(self, field, schema):
        super()._insert_field_validators(field, schema)
        if isinstance(field, serializers.TimeField):
            schema.pop("format", None)
            schema["pattern"] = WALL_TIME
        elif isinstance(field, serializers.URLField) and (field.allow_blank or field.read_only):
            # Blank is a value of its own (no link, or one hidden from this reader).
            schema.pop("format", None)
            schema["anyOf"] = [{"format": "uri"}, {"maxLength": 0}]
