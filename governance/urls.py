from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("groups/", views.group_list, name="group-list"),
    path("groups/<slug:slug>/", views.group_detail, name="group-detail"),
    path("groups/<slug:slug>/edit/", views.group_edit, name="group-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/<str:handle>/", views.person_detail, name="person-detail"),
    path("governance/", views.governance, name="governance"),
]
