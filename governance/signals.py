"""Signals through which other apps import and export their own part of sigs.yaml.

Governance reads and writes every key of sigs.yaml except the `meetings` lists of groups and
subprojects, which belong to the meetings app; governance never imports that app. A receiver
connects in its AppConfig.ready(), e.g.::

    from governance.models import Group
    from governance.signals import sigs_group_imported

    @receiver(sigs_group_imported, sender=Group)
    def import_meetings(sender, *, group, data, place, report, on, **kwargs):
        for index, meeting in enumerate(data.get("meetings") or []):
            # report.problem(f"{place}.meetings[{index}]", "why it was skipped")
            report.count("meetings", "created")

Import signals are sent inside the import's transaction, once the whole file is written (so
every group, person and subproject exists), only for records that were imported (a skipped
group sends nothing). An exception in a receiver rolls the whole import back: a receiver
reports bad data with `report.problem()` and skips it instead.
"""

from django.dispatch import Signal

# Sent with sender=Group and:
#   group  - the imported governance.models.Group
#   data   - the group's mapping as read from the file (its "meetings" list included)
#   place  - where the group is in the file, e.g. "sigs[14] (sig-network)"
#   report - the ImportReport: report.problem(place, message), report.count(entity, outcome)
#   on     - the import's date (roles ended by the import end on it)
sigs_group_imported = Signal()

# Sent with sender=Subproject and subproject, data, place (e.g.
# "sigs[14] (sig-network).subprojects[2] (gateway-api)"), report and on, as above.
sigs_subproject_imported = Signal()

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
