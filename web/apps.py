"""The Django application of the web pages."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
