from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("subscriptions/", views.my_subscriptions, name="mine"),
    path("subscriptions/new/", views.subscribe, name="subscribe"),
    path("subscriptions/new/sent/", views.subscribe_sent, name="subscribe-sent"),
    path("subscriptions/<str:token>/", views.subscription_detail, name="subscription"),
    path("subscriptions/<str:token>/confirm/", views.confirm, name="confirm"),
    path("subscriptions/<str:token>/unsubscribe/", views.unsubscribe, name="unsubscribe"),
]
