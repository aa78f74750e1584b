"""Pages being built."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


def todo(request: HttpRequest) -> HttpResponse:
    raise Http404


urlpatterns = [
    path("week/", todo, name="week"),
]
