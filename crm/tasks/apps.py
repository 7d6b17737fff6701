from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Tasks (the domain noun; background jobs live in each app's jobs.py)."""

    name = "crm.tasks"
    label = "tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from crm.core import audit as core_audit

        # The audit log names these records as members know them.
        core_audit.name_records(
            {
                "tasks.task": "Task",
            }
        )
        from crm.core import demo, nav
        from crm.tasks import demo as tasks_demo
        from crm.tasks import registry

        registry.register()

        nav.register(
            nav.MAIN,
            nav.NavItem("Tasks", "tasks:task_list", order=50, prefix="/tasks/"),
        )
        demo.register(tasks_demo.seed)
