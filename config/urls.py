"""Root URLs: pages of every app, the API under /api/v1/, its schema and the admin."""

from django.conf import settings
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
    # Group leads are not staff: they sign in here to edit their meetings' agendas.
    # Django's sign-in names the site after the request's host; Agora has its own name.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(extra_context={"site_name": settings.AGORA_SITE_NAME}),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]

# Under the API, errors answer in JSON as DRF's do; elsewhere as pages.
handler400 = "config.views.bad_request"
handler404 = "config.views.not_found"

admin.site.site_header = "Agora administration"
admin.site.site_title = "Agora"
# The index lists the groups whose terms end soon ("election due") above the models.
admin.site.index_template = "admin/agora_index.html"
