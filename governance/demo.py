"""The demo community's people, groups, roles, committees, channels and subprojects.

Everyone here is invented (example.org addresses, made-up companies). The groups, their leads,
liaisons, channels and subprojects are `demo_data/sigs.yaml`, read by the sigs.yaml importer as
`manage.py import_sigs` reads the real file, with the Agora keys it reads besides (people's time
zones, the meetings' kinds, times and zones). What no format says is set here through the
services: the committees' charters, when the past leads' terms ran, and the Security Response
Committee's private list (in sigs.yaml a reporting committee's private_mailing_list is its
public reporting address).
"""

import datetime
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from governance.models import ChannelKind, CommitteePurpose, Group, Role
from governance.services import channel_create, committee_set, role_update

SIGS_YAML = Path(__file__).parent / "demo_data" / "sigs.yaml"
CHARTER_BASE = "https://github.com/agora-demo/community/blob/main"

COMMITTEES = {
    "committee-steering": {
        "purpose": CommitteePurpose.STEERING,
        "seats": 3,
        "term_months": 24,
        "max_seats_per_affiliation": 1,
    },
    "committee-security-response": {
        "purpose": CommitteePurpose.SECURITY_RESPONSE,
        "reporting_email": "security@example.org",
        "reporting_url": "https://agora-demo.example.org/security/",
    },
    "committee-code-of-conduct": {
        "purpose": CommitteePurpose.CODE_OF_CONDUCT,
        "reporting_email": "conduct@example.org",
    },
}

# (group, emeritus lead, start, end): the terms of the file's emeritus leads.
PAST_TERMS = [
    ("sig-network", "ryan-jacobs", datetime.date(2019, 3, 1), datetime.date(2025, 1, 6)),
    ("sig-storage", "david-kim", datetime.date(2018, 6, 1), datetime.date(2024, 6, 1)),
    ("sig-release", "hannah-weber", datetime.date(2020, 1, 1), datetime.date(2025, 10, 1)),
]


def load() -> None:
    call_command("import_sigs", str(SIGS_YAML), "--charter-base", CHARTER_BASE, stdout=StringIO())
    committees = Group.objects.in_bulk(COMMITTEES, field_name="slug")
    for slug, charter in COMMITTEES.items():
        committee_set(group=committees[slug], **charter)
    for slug, handle, start, end in PAST_TERMS:
        # (with its person and group, which validation then does not look up again)
        role = Role.objects.select_related("person", "group").get(
            group__slug=slug, person__handle=handle
        )
        role_update(role=role, start=start, end=end, end_unknown=False)
    channel_create(
        group=committees["committee-security-response"],
        kind=ChannelKind.PRIVATE_MAILING_LIST,
        name="security-response-private@example.org",
    )
