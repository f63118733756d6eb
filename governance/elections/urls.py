from django.urls import path

from governance.elections import views

app_name = "elections"

urlpatterns = [
    path("", views.election_list, name="list"),
    path("<slug:slug>/", views.election_detail, name="detail"),
    path("<slug:slug>/nominate/", views.nominate, name="nominate"),
    path("<slug:slug>/exceptions/", views.ask_exception, name="ask-exception"),
    path("<slug:slug>/exceptions/decide/", views.decide_exception, name="decide-exception"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/receipt/", views.check_receipt, name="receipt"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/certify/", views.certify, name="certify"),
]
