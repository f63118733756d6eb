from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("enhancements/", views.proposal_list, name="proposal-list"),
    path("enhancements/<int:number>/", views.proposal_detail, name="proposal-detail"),
    path("enhancements/<slug:slug>/", views.proposal_detail, name="proposal-detail-by-slug"),
    path("releases/", views.release_list, name="release-list"),
    path("releases/<str:version>/", views.release_detail, name="release-detail"),
    path("landscape/", views.landscape, name="landscape"),
    path("landscape/<slug:slug>/", views.evaluation_detail, name="evaluation-detail"),
    path("help-wanted/", views.help_wanted, name="help-wanted"),
]
