"""The baselines each figure of `make bench` is divided by, served by the same Django, behind
the same middleware, from the same database as Agora's own URLs.

Each is marked private, which the page cache (config.pagecache) never stores: a baseline is a
view that runs on every request, what Agora's stored pages are measured against. The header is
the one every page without its own gets (config.middleware.revalidate_by_default).
"""

import os
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from rest_framework import generics, serializers

from governance.models import Group, Person

# The bytes of the feed, written by benchmarks/run.py before the servers start.
CONSTANT = Path(os.environ.get("AGORA_BENCH_CONSTANT", os.devnull)).read_bytes()


baseline = cache_control(private=True, no_cache=True)


@baseline
def constant(request):
    """A view that returns the feed's size in constant bytes: nothing to compute."""
    return HttpResponse(CONSTANT, content_type="text/calendar; charset=utf-8")


@baseline
def plain_json(request):
    """100 rows from the same database, as a plain JsonResponse."""
    rows = list(Person.objects.order_by("pk").values("handle", "name", "affiliation")[:100])
    return JsonResponse({"results": rows})


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["slug", "name", "kind", "status", "mission"]


@method_decorator(baseline, name="dispatch")
class BareList(generics.ListAPIView):
    """DRF's ListAPIView and a ModelSerializer, with the project's DRF settings."""

    queryset = Group.objects.order_by("pk")
    serializer_class = GroupSerializer
    filter_backends: list = []


urlpatterns = [
    path("bench/constant/", constant),
    path("bench/json/", plain_json),
    path("bench/drf/", BareList.as_view()),
    path("", include("config.urls")),
]
from config.urls import handler400, handler404  # noqa: E402,F401
