from django.urls import include, path

from governance import views

app_name = "governance"

urlpatterns = [
    path("groups/", views.group_list, name="group-list"),
    path("groups/<slug:slug>/", views.group_detail, name="group-detail"),
    path("people/", views.person_list, name="person-list"),
    path("people/<str:handle>/", views.person_detail, name="person-detail"),
    path("governance/", views.governance, name="governance"),
    path("governance/elections/", include("governance.elections.urls")),
]
