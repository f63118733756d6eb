"""Signals through which other apps import and export their own part of sigs.yaml.

Governance reads and writes every key of sigs.yaml except the `meetings` lists of groups and
subprojects, which belong to the meetings app; governance never imports that app. A receiver
connects in its AppConfig.ready(), e.g.::

    from governance.models import Group
    from governance.signals import sigs_imported

    @receiver(sigs_imported, sender=Group)
    def import_meetings(sender, *, imported, report, on, **kwargs):
        for record in imported:
            for index, meeting in enumerate(record.data.get("meetings") or []):
                # report.problem(f"{record.place}.meetings[{index}]", "why it was skipped")
                report.count("meetings", "created")

The import signal is sent once, inside the import's transaction, once the whole file is written
(so every group, person and subproject exists), with the records that were imported (a skipped
group is not among them): a receiver reads what it stores about all of them at once. An
exception in a receiver rolls the whole import back: a receiver reports bad data with
`report.problem()` and skips it instead.
"""

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.dispatch import Signal

from governance.models import Group, Subproject


@dataclasses.dataclass(frozen=True)
class ImportedRecord:
    """An imported group, or one of its subprojects, with its mapping as read from the file."""

    group: Group
    subproject: Subproject | None
    data: Mapping[str, Any]  # its "meetings" list included
    place: str  # where it is in the file, e.g. "sigs[14] (sig-network).subprojects[2] (api)"


# Sent with sender=Group and:
#   imported - the ImportedRecord of each imported group followed by its subprojects, in the
#              file's order
#   report   - the ImportReport: report.problem(place, message), report.count(entity, outcome)
#   on       - the import's date (roles ended by the import end on it)
sigs_imported = Signal()

# Sent by the exporter with sender=Group and:
#   group            - the exported Group
#   data             - the dict being written for it; "meetings" is preset to [] for receivers
#                      to fill (in place) with sigs.yaml-shaped meeting mappings
#   include_private  - False for the public export: leave private data out
sigs_group_exporting = Signal()

# Sent by the exporter with sender=Subproject and subproject, data, include_private, as above;
# a receiver adds data["meetings"] only when the subproject has meetings.
sigs_subproject_exporting = Signal()

# Sent by the annual report draft (governance.exporters.documents) with sender=Group and:
#   group    - the Group the report is about
#   year     - the year it covers
#   sections - a list to append (title, Markdown body) to: meetings held, proposals by stage...
annual_report_sections = Signal()

# Sent by a group's README (governance.exporters.documents) with sender=Group and:
#   group  - the Group
#   lines  - a list to append Markdown list items to, one per schedule: when it meets, in its
#            home zone and in UTC
readme_meeting_lines = Signal()
