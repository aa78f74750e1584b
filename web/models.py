"""Who may see what: a person's role and, for a unit contact, their unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    OFFICE = "office"
    UNIT = "unit"
    INSPECTOR = "inspector"
    ROLES = [(OFFICE, "办公室"), (UNIT, "单位联系人"), (INSPECTOR, "督查")]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    role = models.CharField(max_length=10, choices=ROLES)
    unit = models.CharField(max_length=200, blank=True)  # a unit contact's unit
