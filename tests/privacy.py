"""Every public URL of the site, discovered from the URL resolver and the database.

A privacy test reads each of them as an anonymous visitor. New apps are covered without
editing this file: their parameterless routes are found in the resolver, their API detail
routes are filled from every row of the viewset's model (private rows included, so hiding
them is checked too), and their other routes from the kwargs of each object's
get_absolute_url() under the same literal prefix ("groups/<slug>/calendar.ics" takes the
slug of "groups/<slug>/"). A route none of these fill is reported in `unfilled`.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.request import Request

# Namespaces that are not public.
PRIVATE_NAMESPACES = {"admin"}
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


@dataclass(frozen=True)
class Route:
    """A named URL pattern with its full route text, as the resolver holds it."""

    name: str
    route: str
    callback: object

    @property
    def parameters(self) -> set[str]:
        return {a or b for a, b in PARAMETER.findall(self.route)}

    @property
    def prefix(self) -> str:
        """The literal text before the first parameter."""
        return PARAMETER.split(self.route, maxsplit=1)[0].lstrip("^")


@dataclass
class PublicUrls:
    urls: list[str] = field(default_factory=list)
    unfilled: list[str] = field(default_factory=list)


def routes(patterns, prefix="", namespace=""):
    """The named routes under `patterns` that answer GET, outside the private namespaces."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            if pattern.namespace not in PRIVATE_NAMESPACES:
                yield from routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and _answers_get(pattern.callback):
            name = f"{namespace}:{pattern.name}".lstrip(":")
            yield Route(name=name, route=route, callback=pattern.callback)


def _answers_get(callback) -> bool:
    """Whether a view answers GET at all (sign-out, for one, is POST only)."""
    view_class = getattr(callback, "view_class", None)
    return view_class is None or "get" in view_class.http_method_names


def _api_detail_values(route: Route) -> list[dict[str, str]] | None:
    """Kwargs for an API detail route (or detail action), one per row of its model; None when
    not one."""
    viewset = getattr(route.callback, "cls", None)
    actions = getattr(route.callback, "actions", {}) or {}
    if viewset is None or "get" not in actions:
        return None
    if (viewset.lookup_url_kwarg or viewset.lookup_field) not in route.parameters:
        return None  # a list route, or a list action
    request = Request(RequestFactory().get("/"))
    request.user = AnonymousUser()
    view = viewset(request=request, format_kwarg=None, kwargs={}, action="retrieve")
    model = view.get_queryset().model
    return [lookup_kwargs(viewset, row) for row in model._default_manager.all()]


def lookup_kwargs(viewset, row) -> dict[str, str]:
    """The URL kwargs of `row`'s detail route in `viewset`."""
    value = row
    # "group__slug" walks to row.group.slug; a lookup such as "__iexact" is dropped.
    for part in viewset.lookup_field.split("__"):
        if not hasattr(value, part):
            break
        value = getattr(value, part)
    return {viewset.lookup_url_kwarg or viewset.lookup_field: str(value)}


def _page_kwargs() -> list[tuple[str, dict[str, str]]]:
    """(route prefix, kwargs) of every object's own page."""
    donors = []
    for model in apps.get_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        for row in model._default_manager.all():
            match = resolve(row.get_absolute_url())
            donors.append((PARAMETER.split(match.route, maxsplit=1)[0], match.kwargs))
    return donors


def public_urls() -> PublicUrls:
    """Every GET-able public URL for the objects now in the database."""
    found = PublicUrls()
    donors = _page_kwargs()
    for route in routes(get_resolver().url_patterns):
        parameters = route.parameters
        if "format" in parameters:
            continue  # DRF's ".json" twins of routes already walked
        if not parameters:
            found.urls.append(reverse(route.name))
            continue
        candidates = _api_detail_values(route)
        if candidates is None:
            candidates = [
                {name: kwargs[name] for name in parameters}
                for prefix, kwargs in donors
                if prefix == route.prefix and parameters <= kwargs.keys()
            ]
        urls = []
        for kwargs in candidates:
            try:
                urls.append(reverse(route.name, kwargs=kwargs))
            except NoReverseMatch:
                continue
        if urls:
            found.urls.extend(urls)
        elif not (getattr(route.callback, "actions", None) and "get" not in route.callback.actions):
            found.unfilled.append(f"{route.name} ({route.route})")
    found.urls = sorted(set(found.urls))
    return found
