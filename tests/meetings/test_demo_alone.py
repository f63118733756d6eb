"""The meetings demo on its own, in an empty database (test_demo.py shares one loaded demo)."""

import pytest

from governance.models import Group
from meetings import demo
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_meetings_demo_loads_without_the_governance_demo():
    demo.load()

    assert Group.objects.count() == 9
    assert Meeting.objects.count() == 12
