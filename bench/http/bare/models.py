"""The same kind of rows as the portal's posted list shows, and the uploads' rows."""

from __future__ import annotations

from django.db import models


class Submission(models.Model):
    CATEGORIES = [
        ("state", "State"),
        ("un_entity", "UN agency or entity"),
        ("nhri", "National human rights institution"),
        ("civil_society", "Civil society organisation"),
        ("academia", "Academia"),
        ("other", "Other"),
    ]

    number = models.PositiveIntegerField()
    state = models.CharField(max_length=20, default="posted")
    stakeholder_name = models.CharField(max_length=300)
    category = models.CharField(max_length=20, choices=CATEGORIES)
    country = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=10)
    posted_at = models.DateTimeField()
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "-posted_at"], name="bare_newest")]

    def __str__(self) -> str:
        return f"{self.number} {self.stakeholder_name}"


class Upload(models.Model):
    stakeholder_name = models.CharField(max_length=300)
    category = models.CharField(max_length=20)
    country = models.CharField(max_length=2, blank=True)
    contact_email = models.EmailField()
    language = models.CharField(max_length=10)
    file = models.FileField(upload_to="uploads/")
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.stakeholder_name
