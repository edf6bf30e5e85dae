from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Submissions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Saves and deletes of what the public sees renew the cached pages' generation.
        from submissions import public_cache  # noqa: F401
        from submissions.search_triggers import after_migrate

        # SQLite loses the search index's triggers when a migration rebuilds the table.
        post_migrate.connect(after_migrate, sender=self)
