"""Site-wide pages: home and search."""

from django.shortcuts import render


def home(request):
    return render(request, "home.html", {})
