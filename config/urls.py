"""Root URLs: pages of every app, the API under /api/v1/, its schema and the admin."""

from allauth.socialaccount import views as social_views
from allauth.socialaccount.providers.github import views as github
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

import governance.api
import meetings.api
import projects.api
from config import views

router = DefaultRouter()
for prefix, viewset in [*governance.api.routes, *meetings.api.routes, *projects.api.routes]:
    router.register(prefix, viewset, basename=prefix.rstrip("s"))

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("governance.urls")),
    path("", include("meetings.urls")),
    path("", include("projects.urls")),
    path("", include("notifications.urls")),
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's settings as a script file: the CSP allows no inline code.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
    # Leads sign in with GitHub, admins with a password (Django's sign-in, under django-axes).
    # Django's sign-in names the site after the request's host; Agora has its own name.
    path("accounts/login/", views.SignIn.as_view(), name="login"),
    # The same page under the name allauth's views link to.
    path("accounts/login/", views.SignIn.as_view(), name="account_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # django-allauth's GitHub sign-in: only its own steps, under the names allauth reverses.
    path("accounts/github/login/", github.oauth2_login, name="github_login"),
    path("accounts/github/login/callback/", github.oauth2_callback, name="github_callback"),
    path(
        "accounts/github/cancelled/",
        social_views.login_cancelled,
        name="socialaccount_login_cancelled",
    ),
    path("accounts/github/error/", social_views.login_error, name="socialaccount_login_error"),
    path("my-groups/", views.my_groups, name="my-groups"),
]

# Under the API, errors answer in JSON as DRF's do; elsewhere as pages.
handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"

admin.site.site_header = "Agora administration"
admin.site.site_title = "Agora"
# The index lists the groups whose terms end soon ("election due") above the models.
admin.site.index_template = "admin/agora_index.html"
