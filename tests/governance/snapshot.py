"""Canonical views of the governance tables, for tests comparing a database before and after."""

from django.apps import apps

from governance.models import Channel, Committee, Group, Person, Role, Subproject


def governance_snapshot() -> dict[str, list[tuple]]:
    """Groups, people, roles, committees, channels and subprojects, without ids or timestamps."""
    return {
        "people": sorted(
            (p.handle, p.name, p.affiliation, p.time_zone, p.public_email, p.private_email)
            for p in Person.objects.all()
        ),
        "groups": sorted(
            (
                g.slug,
                g.kind,
                g.name,
                g.mission,
                g.charter_url,
                g.label,
                g.status,
                tuple(sorted(s.slug for s in g.stakeholder_groups.all())),
            )
            for g in Group.objects.prefetch_related("stakeholder_groups")
        ),
        "committees": sorted(
            (
                c.group.slug,
                c.purpose,
                c.seats,
                c.term_months,
                c.max_seats_per_affiliation,
                c.reporting_email,
                c.reporting_url,
            )
            for c in Committee.objects.select_related("group")
        ),
        "roles": sorted(
            (r.group.slug, r.person.handle, r.kind, str(r.start), str(r.end))
            for r in Role.objects.select_related("group", "person")
        ),
        "channels": sorted(
            (
                c.group.slug,
                c.subproject.name if c.subproject else "",
                c.kind,
                c.name,
                c.url,
                c.description,
                c.is_private,
            )
            for c in Channel.objects.select_related("group", "subproject")
        ),
        "subprojects": sorted(
            (
                s.group.slug,
                s.name,
                s.description,
                tuple(s.owners_files),
                tuple(sorted(p.handle for p in s.leads.all())),
            )
            for s in Subproject.objects.select_related("group").prefetch_related("leads")
        ),
    }


def row_counts() -> dict[str, int]:
    """Rows in every governance table, history tables included."""
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("governance").get_models()
    }
