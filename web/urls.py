"""The addresses of the web application."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.Login.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("unit/<str:name>/", views.unit_roster, name="unit"),
]
