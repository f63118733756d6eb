import pytest


@pytest.mark.django_db
def test_home_page_renders_navigation(client):
    response = client.get("/")
    assert response.status_code == 200
    for section in ["Groups", "People", "Meetings", "Projects", "Enhancements", "Governance"]:
        assert f">{section}</a>" in response.content.decode()
