"""The Django application of the workspace."""

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "workspace"
    label = "workspace"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "工作区"
