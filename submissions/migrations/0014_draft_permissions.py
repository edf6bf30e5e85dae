from django.db import migrations


def grant_draft_permissions(apps, schema_editor):
    """Both groups read the drafts and their comments; Publishing, which puts drafts
    online, also uploads and previews them (publishing needs `publish_submission`)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # permissions exist only after migrate
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(*codenames):
        return Permission.objects.filter(
            content_type__app_label="submissions", codename__in=codenames
        )

    triage, _ = Group.objects.get_or_create(name="Triage")
    triage.permissions.add(*permissions("view_drafttext", "view_comment"))
    publishing, _ = Group.objects.get_or_create(name="Publishing")
    publishing.permissions.add(
        *permissions("view_drafttext", "add_drafttext", "change_drafttext", "view_comment")
    )


class Migration(migrations.Migration):
    dependencies = [("submissions", "0013_drafts_and_comments")]

    operations = [migrations.RunPython(grant_draft_permissions, migrations.RunPython.noop)]
