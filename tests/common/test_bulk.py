"""BulkWrite: many records validated one by one, written in a few statements, with history."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.bulk import BulkWrite, bulk_written
from governance.models import Channel, Group, Person, Subproject
from tests.factories import GroupFactory, PersonFactory
from tests.governance.factories import ChannelFactory, SubprojectFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_new_and_changed_records_are_written_with_history_in_a_few_statements(
    django_assert_max_num_queries,
):
    stored = [PersonFactory(handle=f"old-{n}", name="Old") for n in range(20)]
    before = {p.pk: p.updated_at for p in stored}
    write = BulkWrite(Person)
    for n in range(20):
        write.create(Person(handle=f"new-{n}", name="New"))
    for person in stored:
        assert write.update(person, {"name": "Renamed"}) == ["name"]
    with django_assert_max_num_queries(8):
        assert write.write() == []
    assert Person.objects.filter(name="New").count() == 20
    renamed = Person.objects.filter(name="Renamed")
    assert renamed.count() == 20
    assert all(p.updated_at > before[p.pk] for p in renamed)
    assert Person.history.filter(history_type="+", name="New").count() == 20
    assert Person.history.filter(history_type="~", name="Renamed").count() == 20


def test_an_invalid_field_is_refused_before_anything_is_written():
    person = PersonFactory(handle="jane", time_zone="Europe/Berlin")
    write = BulkWrite(Person)
    with pytest.raises(ValidationError) as refused:
        write.update(person, {"time_zone": "Mars/Olympus"})
    assert "time_zone" in refused.value.message_dict
    assert person.time_zone == "Europe/Berlin"
    with pytest.raises(TypeError, match="'nmae'"):
        write.update(person, {"nmae": "x"})
    assert write.write() == []


def test_a_record_the_database_refuses_is_named_and_the_others_are_written():
    PersonFactory(handle="taken")
    write = BulkWrite(Person)
    duplicate = write.create(Person(handle="taken"))
    write.create(Person(handle="fine"))
    heard = []

    def receiver(**kwargs):
        heard.append(kwargs)

    bulk_written.connect(receiver, sender=Person)
    try:
        refused = write.write()
    finally:
        bulk_written.disconnect(receiver, sender=Person)
    assert [instance for instance, _ in refused] == [duplicate]
    assert "handle" in " ".join(refused[0][1].messages).lower()
    assert Person.objects.filter(handle="fine").exists()
    assert [p.handle for p in heard[0]["created"]] == ["fine"]


def test_write_all_refuses_the_whole_change_when_the_database_refuses_a_record():
    PersonFactory(handle="taken")
    write = BulkWrite(Person)
    write.create(Person(handle="taken"))
    write.create(Person(handle="fine"))
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        write.write_all()
    assert "handle" in " ".join(refused.value.messages).lower()
    assert not Person.objects.filter(handle="fine").exists()


def test_many_to_many_lists_are_written_at_once_with_their_history(
    django_assert_max_num_queries,
):
    group = GroupFactory()
    leads = [PersonFactory(handle=f"lead-{n}") for n in range(3)]
    stored = Subproject.objects.create(group=group, name="stored")
    stored.leads.set(leads[:1])
    write = BulkWrite(Subproject)
    new = [write.create(Subproject(group=group, name=f"new-{n}")) for n in range(10)]
    for subproject in new:
        write.relate(subproject, "leads", leads[1:])
    write.relate(stored, "leads", leads[2:])
    with django_assert_max_num_queries(15):
        assert write.write() == []
    assert all(list(s.leads.all()) == leads[1:] for s in new)
    assert list(stored.leads.all()) == leads[2:]
    latest = stored.history.latest()
    assert (latest.history_type, [row.person_id for row in latest.leads.all()]) == (
        "~",
        [leads[2].pk],
    )
    assert [row.person_id for row in new[0].history.latest().leads.all()] == [
        lead.pk for lead in leads[1:]
    ]


def test_many_to_many_links_are_written_and_each_history_entry_keeps_them(
    django_assert_max_num_queries,
):
    auth, node = GroupFactory(slug="sig-auth"), GroupFactory(slug="sig-node")
    stored = GroupFactory(slug="sig-windows")
    stored.stakeholder_groups.set([node])
    entries = stored.history.count()
    write = BulkWrite(Group)
    new = write.create(Group(slug="sig-new", name="New"))
    write.relate(new, "stakeholder_groups", [auth, node])
    write.relate(stored, "stakeholder_groups", [auth])
    with django_assert_max_num_queries(15):
        assert write.write() == []
    assert set(new.stakeholder_groups.all()) == {auth, node}
    assert list(stored.stakeholder_groups.all()) == [auth]
    assert stored.history.count() == entries + 1
    for group, slugs in [(new, ["sig-auth", "sig-node"]), (stored, ["sig-auth"])]:
        snapshot = group.history.latest().stakeholder_groups.all()
        assert sorted(row.to_group.slug for row in snapshot) == slugs


def test_a_model_may_give_its_own_checks_and_changed_fields_are_written():
    person = PersonFactory(handle="jane", name="Jane")
    checked = []
    write = BulkWrite(Person, validate=checked.append)
    person.name = "Jane Doe"
    write.changed(person, ["name"])
    with pytest.raises(TypeError, match="'nmae'"):
        write.changed(person, ["nmae"])
    assert write.write() == []
    assert checked == [person]
    assert Person.objects.get(handle="jane").name == "Jane Doe"


def test_history_entries_are_those_simple_history_writes(admin_user, django_user_model, rf):
    """Each entry has the write's date and type, the record's values, the request's user (or
    the record's own) and the record's change reason, as django-simple-history gives them."""
    stored = PersonFactory(handle="stored", name="Stored")
    write = BulkWrite(Person)
    new = write.create(Person(handle="new", name="New", time_zone="Europe/Berlin"))
    new._change_reason = "imported"
    write.update(stored, {"name": "Renamed"})
    stored._history_user = django_user_model.objects.create_user("editor")
    request = rf.get("/")
    request.user = admin_user
    HistoricalRecords.context.request = request
    try:
        before = timezone.now()
        assert write.write() == []
    finally:
        del HistoricalRecords.context.request
    created, updated = new.history.get(), stored.history.latest()
    assert (created.history_type, created.history_change_reason) == ("+", "imported")
    assert (created.history_user, created.id, created.handle, created.time_zone) == (
        admin_user,
        new.pk,
        "new",
        "Europe/Berlin",
    )
    assert created.updated_at == new.updated_at and created.history_date >= before
    assert (updated.history_type, updated.history_change_reason, updated.name) == (
        "~",
        None,
        "Renamed",
    )
    assert updated.history_user == stored._history_user


def test_changed_fields_are_written_each_record_with_its_own_values():
    group = GroupFactory()
    subprojects = [SubprojectFactory(group=group) for _ in range(2)]
    channels = [ChannelFactory(group=group, url="https://slack.k8s.io/") for _ in range(3)]
    write = BulkWrite(Channel)
    for n, (channel, subproject) in enumerate(zip(channels, [*subprojects, None], strict=True)):
        write.update(channel, {"subproject": subproject, "description": f"Channel {n}"})
    assert write.write() == []
    stored = Channel.objects.order_by("pk")
    assert [(c.subproject, c.description, c.url) for c in stored] == [
        (subprojects[0], "Channel 0", "https://slack.k8s.io/"),
        (subprojects[1], "Channel 1", "https://slack.k8s.io/"),
        (None, "Channel 2", "https://slack.k8s.io/"),
    ]
    assert [
        (entry.subproject_id, entry.description)
        for entry in Channel.history.filter(history_type="~").order_by("history_id")
    ] == [(c.subproject_id, c.description) for c in stored]


def test_deleted_records_go_with_what_they_cascade_to_each_with_its_history_entry(
    admin_user, rf, django_assert_max_num_queries
):
    """As QuerySet.delete() deletes them (a subproject's channels and lead links go with it; its
    meeting stays, without it), each row with its "-" entry as django-simple-history's
    post_delete makes it; `bulk_written` is sent for each model, post_delete for none."""
    group = GroupFactory()
    kept = SubprojectFactory(group=group, name="kept")
    gone = SubprojectFactory(group=group, name="gone", leads=[PersonFactory()])
    channels = [ChannelFactory(group=group, subproject=gone) for _ in range(3)]
    ChannelFactory(group=group, subproject=kept)
    meeting = MeetingFactory(group=group, subproject=gone)
    written, deleted = {}, []

    def heard(sender, **kwargs):
        written[sender] = kwargs["deleted"]

    def heard_delete(sender, **kwargs):
        deleted.append(sender)

    bulk_written.connect(heard)
    post_delete.connect(heard_delete)
    request = rf.get("/")
    request.user = admin_user
    HistoricalRecords.context.request = request
    write = BulkWrite(Subproject)
    write.delete([gone])
    try:
        with django_assert_max_num_queries(9):
            assert write.write() == []
    finally:
        bulk_written.disconnect(heard)
        post_delete.disconnect(heard_delete)
        del HistoricalRecords.context.request
    assert list(Subproject.objects.all()) == [kept]
    assert list(Channel.objects.values_list("subproject", flat=True)) == [kept.pk]
    meeting.refresh_from_db()
    assert meeting.subproject is None
    assert written == {Subproject: {gone.pk}, Channel: {channel.pk for channel in channels}}
    assert deleted == []
    entry = Subproject.history.get(history_type="-")
    assert (entry.id, entry.name, entry.history_user, list(entry.leads.all())) == (
        gone.pk,
        "gone",
        admin_user,
        [],
    )
    entries = Channel.history.filter(history_type="-").order_by("history_id")
    # In the order post_delete writes them: by key, descending.
    assert [(e.id, e.subproject_id, e.history_user) for e in entries] == [
        (channel.pk, gone.pk, admin_user) for channel in reversed(channels)
    ]
