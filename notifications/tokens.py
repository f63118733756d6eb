"""The signed token that addresses a subscription in the links mailed to its address: whoever
holds it reads that address's mail, so it confirms, changes and ends the subscription."""

from django.core import signing

from notifications.models import Subscription

SALT = "notifications.subscription"


def subscription_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.email.lower()], salt=SALT, compress=True)


def subscription_for(token: str) -> Subscription | None:
    """The subscription `token` names, or None (forged, mangled or since unsubscribed)."""
    try:
        pk, email = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Subscription.objects.select_related("meeting", "group")
        .filter(pk=pk, email__iexact=email)
        .first()
    )
