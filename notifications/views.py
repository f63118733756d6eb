"""Subscription pages: subscribe, confirm, change, unsubscribe (the links each mail carries,
addressed by the subscription's signed token) and a signed-in person's own subscriptions."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from notifications import mail, selectors, services
from notifications.forms import ChoicesForm, SubscribeForm
from notifications.models import Subscription
from notifications.tokens import subscription_for, subscription_token

logger = logging.getLogger(__name__)
CHOICES = services.CHOICE_FIELDS


def _default_zone(user) -> str:
    person = getattr(user, "person", None) if user.is_authenticated else None
    return (person.time_zone if person else "") or "UTC"


def _send_confirmation(subscription: Subscription) -> None:
    # After commit, and never a failed request: the address can ask again.
    def send():
        try:
            mail.confirmation_message(subscription).send()
        except Exception:
            logger.exception("confirmation mail to subscription %s not sent", subscription.pk)

    transaction.on_commit(send)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            subscription = services.subscription_request(
                email=data["email"],
                meeting=data["meeting"],
                group=data["group"],
                user=request.user,
                **{name: data[name] for name in CHOICES},
            )
            if subscription is not None:
                _send_confirmation(subscription)
            # The same answer whether the address was new, waiting or subscribed: the page
            # tells nobody who is subscribed.
            return redirect("notifications:subscribe-sent")
        status = 400
    else:
        initial = {"time_zone": _default_zone(request.user)}
        if request.user.is_authenticated:
            initial["email"] = request.user.email
        form = SubscribeForm(initial=initial)
        # ?meeting=<slug> or ?group=<slug> picks what to subscribe to; a wrong one is ignored.
        for name in ("meeting", "group"):
            field = form.fields[name]
            value = request.GET.get(name, "")
            if value and field.queryset.filter(slug=value).exists():
                form.initial[name] = value
        status = 200
    return render(request, "notifications/subscribe.html", {"form": form}, status=status)


@require_safe
def subscribe_sent(request):
    return render(request, "notifications/subscribe_sent.html")


def _subscription_or_gone(request, token):
    subscription = subscription_for(token)
    if subscription is None:
        return None, render(request, "notifications/gone.html", status=404)
    return subscription, None


@require_http_methods(["GET", "HEAD", "POST"])
def subscription_detail(request, token):
    subscription, gone = _subscription_or_gone(request, token)
    if gone:
        return gone
    if request.method == "POST":
        form = ChoicesForm(request.POST)
        if form.is_valid():
            services.subscription_update(
                subscription=subscription, **{name: form.cleaned_data[name] for name in CHOICES}
            )
            messages.success(request, "Your choices are saved.")
            return redirect("notifications:subscription", token=token)
        status = 400
    else:
        form = ChoicesForm(initial={name: getattr(subscription, name) for name in CHOICES})
        status = 200
    context = {"subscription": subscription, "form": form, "token": token}
    return render(request, "notifications/subscription.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET asks (a mail scanner following the link confirms nothing); POST confirms."""
    subscription, gone = _subscription_or_gone(request, token)
    if gone:
        return gone
    if request.method == "POST":
        services.subscription_confirm(subscription=subscription)
        messages.success(request, "Confirmed: you will receive mail about it.")
        return redirect("notifications:subscription", token=token)
    return render(request, "notifications/confirm.html", {"subscription": subscription})


# A mail program's one-click unsubscribe (RFC 8058) posts without the site's CSRF cookie; the
# signed token is the proof.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    subscription = subscription_for(token)
    if request.method == "POST":
        if subscription is not None:
            services.subscription_delete(subscription=subscription)
        return render(request, "notifications/unsubscribed.html")
    if subscription is None:
        return render(request, "notifications/gone.html", status=404)
    return render(request, "notifications/unsubscribe.html", {"subscription": subscription})


@require_safe
@login_required
def my_subscriptions(request):
    rows = [
        (row, subscription_token(row) if row.confirmed_at else "")
        for row in selectors.subscriptions_of(request.user)
    ]
    return render(request, "notifications/my_subscriptions.html", {"rows": rows})
