"""Steps the mail tests share: subscribing through the pages, confirming from the mail."""

import re
from io import StringIO
from urllib.parse import urlsplit

from django.core.management import call_command
from django.test import TestCase

from tests.notifications.conftest import text_of

LINK = re.compile(r"https://community\.example\.org(/\S+)")


def path_in(message, ending: str) -> str:
    """The site path in the message's plain text that ends with `ending`."""
    paths = [match for match in LINK.findall(text_of(message)) if match.endswith(ending)]
    assert paths, text_of(message)
    return urlsplit(paths[0]).path


def post_subscribe(client, data: dict):
    """Post the subscribe form; its confirmation mail goes out (after the commit) at once."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post("/subscriptions/new/", data)


def subscribe(client, mailbox, address: str, **choices) -> str:
    """Subscribe `address` through the form and confirm it from the mail; its page's path."""
    data = {
        "email": address,
        "time_zone": "Europe/Berlin",
        "reminders": ["1440", "60"],
        "changes": "on",
        "agendas": "on",
        "minutes": "on",
        **choices,
    }
    response = post_subscribe(client, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (confirmation,) = mailbox.to(address)
    assert confirmation["Subject"].startswith("Confirm:")
    confirm = path_in(confirmation, "/confirm/")
    assert client.get(confirm).status_code == 200
    response = client.post(confirm)
    assert response.status_code == 302
    mailbox.clear()
    return response["Location"]


def send_notifications() -> str:
    out = StringIO()
    call_command("send_notifications", stdout=out, stderr=StringIO())
    return out.getvalue()
