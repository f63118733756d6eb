"""A demo module that builds on governance's demo data, as meetings' and projects' do."""

from governance.models import Group

loaded: list[int] = []
# Set by a test: the load fails after governance's demo was written.
broken = False


def load() -> None:
    # Governance's demo must already be there: count its groups.
    loaded.append(Group.objects.count())
    if broken:
        raise RuntimeError("demo data of this app is broken")
