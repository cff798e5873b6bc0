"""The workflow's process record for a case (viewflow's Process, joined to the Case)."""

from django.db import models
from viewflow.workflow.models import Process

from casework.models import Case


class CaseProcess(Process):
    """One workflow process per case. Its status only follows the case's; it never leads."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="process")

    class Meta:
        verbose_name = "case workflow"
        verbose_name_plural = "case workflows"

    def __str__(self) -> str:
        return f"Workflow of {self.case.reference}"
