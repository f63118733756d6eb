"""`export_sigs` writes what the Kubernetes community generator accepts: the demo community
and the real sigs.yaml, imported, pass its Validate() rules (tests/governance/generator_rules)."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command

from governance.importers.sigs_apply import sigs_import
from governance.importers.sigs_yaml import parse
from tests.governance.generator_rules import violations

pytestmark = pytest.mark.django_db


def exported() -> dict:
    out = StringIO()
    call_command("export_sigs", stdout=out)
    return yaml.safe_load(out.getvalue())


def test_the_rules_catch_what_the_generator_refuses():
    document = {
        "sigs": [{"dir": "sig-foo", "name": "Foo Bar", "label": "foo"}],
        "workinggroups": [
            {
                "dir": "wg-x",
                "name": "X",
                "label": "x",
                "subprojects": [{"name": "s", "owners": ["https://example.org/OWNERS"]}],
                "leadership": {"emeritus_leads": [{"github": "a", "name": "A", "company": "C"}]},
            }
        ],
    }
    assert violations(document) == [
        "expected dir: sig-foo-bar, got: sig-foo",
        "sig-foo: expected label: foo-bar, got: foo",
        "sig-foo: has no charter",
        "sig-foo: has no mission statement",
        "sig-foo: has no subprojects",
        "wg-x: emeritus leads have no company; a has one",
        "wg-x: WGs must have stakeholder_sigs",
        "wg-x: only sigs and committees can have subprojects",
        "wg-x/s: owners URL https://example.org/OWNERS is not GitHub's",
    ]


def test_the_demo_community_passes_the_generators_rules():
    call_command("load_demo", stdout=StringIO())
    assert violations(exported()) == []


@pytest.mark.shared_data
def test_the_real_file_imported_and_exported_passes_the_generators_rules(shared_data):
    text = (shared_data / "kubernetes-community" / "sigs.yaml").read_text()
    assert violations(yaml.safe_load(text)) == []
    sigs_import(document=parse(text), allow_removals=True)
    assert violations(exported()) == []
