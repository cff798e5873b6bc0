from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Case workflow"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The engine's flows import models, which exist only once the apps are loaded.
        from casework import case_workflow

        from .engine import ViewflowWorkflow

        case_workflow.install(ViewflowWorkflow())
