"""The addresses of the web application; each group of pages keeps its own in its module."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path

from web import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.Login.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("language/", views.choose_language, name="language"),
    path("unit/<str:name>/", views.unit_roster, name="unit"),
    path("", include("web.office")),
    path("", include("web.planning")),
    path("", include("web.downloads")),
    path("", include("web.inspect")),
    path("", include("web.leaders")),
    path("", include("web.personal")),
]
