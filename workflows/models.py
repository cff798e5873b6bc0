"""The workflow's process record for a case (viewflow's Process, joined to the Case)."""

from django.db import models
from viewflow.workflow.models import Process

from casework.models import Case, DpoDecision


class CaseProcess(Process):
    """One workflow process per case. Its status only follows the case's; it never leads."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="process")

    class Meta:
        verbose_name = "case workflow"
        verbose_name_plural = "case workflows"

    def __str__(self) -> str:
        return f"Workflow of {self.case.reference}"


class DpoProcess(Process):
    """The workflow of one DPO decision: one task, in the Data Protection Officer's inbox.

    It runs beside the case's own workflow, never in it, so the case keeps exactly the one
    open task its status calls for and never waits for the DPO.
    """

    decision = models.OneToOneField(DpoDecision, on_delete=models.CASCADE, related_name="process")

    class Meta:
        verbose_name = "DPO decision workflow"
        verbose_name_plural = "DPO decision workflows"

    def __str__(self) -> str:
        return f"DPO decision workflow of {self.decision.case.reference}"

    @property
    def case(self):
        return self.decision.case
