from django.urls import include, path

from governance import document_views, views

app_name = "governance"

urlpatterns = [
    path("groups/", views.group_list, name="group-list"),
    path("groups/<slug:slug>/", views.group_detail, name="group-detail"),
    path("groups/<slug:slug>/README.md", document_views.group_readme, name="group-readme"),
    path(
        "groups/<slug:slug>/annual-report.md",
        document_views.annual_report,
        name="group-annual-report",
    ),
    path("groups/<slug:slug>/edit/", views.group_edit, name="group-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/<str:handle>/", views.person_detail, name="person-detail"),
    path("governance/", views.governance, name="governance"),
    path("governance/elections/", include("governance.elections.urls")),
    path("governance/documents/", document_views.document_list, name="documents"),
    path("governance/documents/sig-list.md", document_views.sig_list, name="sig-list"),
    path(
        "governance/documents/OWNERS_ALIASES",
        document_views.owners_aliases,
        name="owners-aliases",
    ),
    path("governance/documents/liaisons.md", document_views.liaisons, name="liaisons"),
]
