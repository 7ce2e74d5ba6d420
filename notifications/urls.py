from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("my/", views.my_subscriptions, name="my_subscriptions"),
    path("my/deliveries/", views.my_deliveries, name="my_deliveries"),
    path("family/<int:guardian_id>/", views.family_deliveries, name="family_deliveries"),
    path(
        "family/<int:guardian_id>/subscriptions/",
        views.family_subscriptions,
        name="family_subscriptions",
    ),
    path("resend/<int:notification_id>/", views.resend, name="resend"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
