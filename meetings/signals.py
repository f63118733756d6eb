"""Other apps hear of an occurrence's changes through the signals below.

meetings.services sends them inside the change's transaction, after the change is written: a
receiver's writes commit or roll back with it, and an exception in a receiver undoes the change.
A receiver connects in its AppConfig.ready() (notifications queues its mail notices there).
"""

from django.dispatch import Signal

# Sent with sender=Occurrence when occurrences are cancelled, moved or restored (by
# occurrence_set_status, occurrence_delete, schedules_end: once for each change, however many
# occurrences it changed), with:
#   changes - (record, previous) for each occurrence: the Occurrence as it now is (unsaved,
#             status scheduled, when it was deleted) and its status before the change
#             ("scheduled" when it had no record)
occurrence_statuses_changed = Signal()

# Sent with sender=Occurrence when agenda_save changed an occurrence's agenda or minutes, with:
#   record          - the saved Occurrence
#   agenda_changed  - whether its agenda items are now other than they were
#   minutes_changed - whether its minutes are now other (and not empty)
occurrence_agenda_saved = Signal()
