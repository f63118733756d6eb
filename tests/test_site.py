import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.django_db
def test_home_page_renders_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    for section in ["Groups", "People", "Meetings", "Projects", "Enhancements", "Governance"]:
        assert f">{section}</a>" in response.content.decode()


def test_management_commands_start_in_a_fresh_process():
    """`make run` starts with `migrate`: settings must import without a circular import."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings=config.settings.test"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
