"""Hypothesis fuzzes the query parameters of every page, feed and endpoint: no 500, and no
answer that takes long, whatever the value.

The URLs come from the URL resolver (tests/privacy.py), one per route. The parameters come
from what the site itself offers: each page's form fields and links (and the pages those
links lead to), with the values its links give them, and the API schema's parameters. A
case starts from a page's own link (or none) and changes or adds parameters: the page's own
names most often, any name of the site sometimes, with the site's values or made-up ones.
"""

import time
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.privacy import public_urls
from tests.test_privacy import PRIVATE_DATA

# The work one request may take, whatever it asks for (the window bounds the dates).
SLOW_SECONDS = 5
NOT_PARAMETERS = {"csrfmiddlewaretoken", "next", "username", "password"}


class _Offered(HTMLParser):
    """The queries a page links to and the names of its form fields."""

    def __init__(self):
        super().__init__()
        self.fields: set[str] = set()
        self.links: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("name"):
            self.fields.add(attrs["name"])
        href = urlsplit(attrs.get("href") or "")
        if tag == "a" and href.query and not href.netloc:
            self.links.append((href.path, parse_qsl(href.query, keep_blank_values=True)))


class Site:
    """Per path: the queries its links give, the names and the values it is offered."""

    def __init__(self, client, urls: list[str]):
        self.urls = urls
        self.queries: dict[str, list[dict]] = defaultdict(list)
        self.names: dict[str, set[str]] = defaultdict(set)
        self.values: set[str] = {"", "true", "false", "null", "last"}
        for operation in SchemaGenerator().get_schema(public=True)["paths"].values():
            for method in operation.values():
                for parameter in method.get("parameters", []):
                    if parameter["in"] == "query":
                        self.names[""].add(parameter["name"])
        followed = self._read(client, urls)
        self._read(client, sorted(followed)[:200])

    def _read(self, client, urls) -> set[str]:
        followed = set()
        for url in urls:
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            page = _Offered()
            page.feed(response.content.decode())
            path = urlsplit(url).path
            self.names[path] |= page.fields - NOT_PARAMETERS
            for link_path, query in page.links:
                target = link_path or path
                self.queries[target].append(dict(query))
                self.names[target] |= {name for name, _ in query} - NOT_PARAMETERS
                self.values |= {value for _, value in query}
                followed.add(f"{target}?{'&'.join(f'{k}={v}' for k, v in query)}")
        return followed

    @property
    def every_name(self) -> list[str]:
        return sorted(set().union(*self.names.values()))


def _one_per_route(urls: list[str]) -> list[str]:
    chosen: dict[str, str] = {}
    for url in urls:
        chosen.setdefault(resolve(urlsplit(url).path).route, url)
    return sorted(chosen.values())


YEAR = st.integers(0, 9999).map(lambda y: f"{y:04d}")
TWO = st.integers(0, 99).map(lambda n: f"{n:02d}")
MADE_UP = st.one_of(
    st.text(max_size=20),
    st.text(st.characters(max_codepoint=0x1F), max_size=4),
    st.integers(-(10**20), 10**20).map(str),
    st.builds("{}-{}".format, YEAR, TWO),
    st.builds("{}-{}-{}".format, YEAR, TWO, TWO),
    st.builds("{}-{}-{}T{}:{}:{}Z".format, YEAR, TWO, TWO, TWO, TWO, TWO),
)


@pytest.fixture
def site(db, client):
    for build in PRIVATE_DATA:
        build()
    site = Site(client, _one_per_route(public_urls().urls))
    assert {"month", "view", "sort", "page", "start", "maturity"} <= set(site.every_name)
    return site


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_query_parameter_makes_a_server_error(client, site, data):
    url = data.draw(st.sampled_from(site.urls), label="url")
    path = urlsplit(url).path
    query = data.draw(st.sampled_from([{}, *site.queries[path]]), label="link")
    own = sorted(site.names[path]) or site.every_name
    name = st.sampled_from(own) | st.sampled_from(site.every_name)
    value = MADE_UP | st.sampled_from(sorted(site.values))
    query = {**query, **data.draw(st.dictionaries(name, value, max_size=3), label="changes")}
    began = time.perf_counter()
    response = client.get(url, query)  # a server error raises here, with its traceback
    assert response.status_code < 500
    assert time.perf_counter() - began < SLOW_SECONDS
