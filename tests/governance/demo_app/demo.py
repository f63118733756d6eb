"""A demo module that builds on governance's demo data, as meetings' and projects' do."""

from governance.models import Group

loaded: list[int] = []


def load() -> None:
    # Governance's demo must already be there: count its groups.
    loaded.append(Group.objects.count())
    if Group.objects.filter(slug="sig-fails").exists():
        raise RuntimeError("demo data of this app is broken")
