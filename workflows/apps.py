from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every case step, however it is made, keeps the process in step.
        from casefiles.services import register_workflow_hook
        from workflows.services import case_workflow_sync

        register_workflow_hook(case_workflow_sync)
