"""Who the client is: the address the deployment's declared proxies saw (AGORA_PROXY_HOPS)."""

from django.http import HttpRequest
from rest_framework.throttling import BaseThrottle


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the API throttle reads it (DRF's NUM_PROXIES rule).

    Used by the sign-in limit too, so that a forged X-Forwarded-For resets neither.
    """
    return BaseThrottle().get_ident(request)
