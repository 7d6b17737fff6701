from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Tasks (the domain noun; background jobs live in each app's jobs.py)."""

    name = "crm.tasks"
    label = "tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from crm.tasks import registry

        registry.register()
