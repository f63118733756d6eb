"""schemathesis against the API, anonymous and as staff: every operation's answers match the
schema, schema-valid requests are taken and schema-violating ones refused.

Each operation gets a bounded number of positive and negative cases (with a fixed seed, so
every run is the same run), and the test reports every operation that failed, not the first.
"""

import contextlib

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup

from config.wsgi import application
from tests.test_privacy import PRIVATE_DATA

CASES_PER_OPERATION = 6
CONFIG = {
    "seed": 13,
    # The staff run sends a real token: generated credentials would only muddle it.
    "generation": {"database": "none", "with-security-parameters": False},
    "checks": {
        # What no schema can say: that a slug names an existing row, the window of dates a
        # request may name (common.query), a range's end after its start. Such a request is
        # schema-valid and still a 400, naming the parameter.
        "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "403", "404", "409"]},
    },
}


def _failures(operation, mode: GenerationMode, headers: dict) -> list[str]:
    found = []

    @hypothesis.settings(
        max_examples=CASES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def run(case):
        try:
            case.call_and_validate(headers=headers)
        except (AssertionError, FailureGroup) as failure:
            found.append(f"{operation.label} ({mode.value}): {failure}")

    # Unsatisfiable: nothing in the operation can be made invalid (no parameters, no body).
    with contextlib.suppress(Unsatisfiable):
        run()
    return found


@pytest.fixture
def kept_connection():
    """The test's database connection kept across WSGI calls, as Django's test client keeps
    it: a request's end would close it on PostgreSQL (it is inside the test's transaction)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_the_api_behaves_as_its_schema_says(db, kept_connection, who):
    for build in PRIVATE_DATA:
        build()
    # Uncompressed answers (GZipMiddleware compresses for clients that ask): the checks read them.
    headers = {"Accept-Encoding": "identity"}
    if who == "staff":
        user = User.objects.create_user("fuzz-staff", is_staff=True, is_superuser=True)
        headers["Authorization"] = f"Token {Token.objects.create(user=user).key}"
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", application, config=SchemathesisConfig.from_dict(CONFIG)
    )
    failures = [
        failure
        for result in schema.get_all_operations()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        for failure in _failures(result.ok(), mode, headers)
    ]
    assert not failures, "\n\n".join(failures)


def test_the_schema_documents_errors_anonymous_reads_and_real_types(client, db):
    schema = client.get("/api/schema/?format=json").json()
    people = schema["paths"]["/api/v1/people/"]
    assert {"200", "400", "403", "404"} <= set(people["get"]["responses"])
    assert {"201", "400", "403", "415"} <= set(people["post"]["responses"])
    assert {} in people["get"]["security"] and {} not in people["post"]["security"]
    page_size = next(p for p in people["get"]["parameters"] if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    components = schema["components"]["schemas"]
    assert "format" not in components["Schedule"]["properties"]["start_time"]
    assert "pattern" in components["Schedule"]["properties"]["start_time"]
    assert {"maxLength": 0} in components["Occurrence"]["properties"]["recording_url"]["anyOf"]
    parameters = schema["paths"]["/api/v1/people/"]["get"]["parameters"]
    assert not {"search", "ordering"} & {p["name"] for p in parameters}
