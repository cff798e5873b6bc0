"""Decisions HR records that are not kept as rows of their own: the choices their forms
offer and the services act on."""

from django.db import models


class TriageDecision(models.TextChoices):
    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer"
    INFORMAL = "informal", "Informal management advice"
    SAFEGUARDING = "safeguarding", "Safeguarding route: refer to the DSL"
    INVESTIGATION = "investigation", "Formal investigation"


class ReportDecision(models.TextChoices):
    NO_CASE_TO_ANSWER = "no_case_to_answer", "No case to answer"
    INFORMAL = "informal", "Informal management advice"
    HEARING = "hearing", "Refer to a disciplinary hearing"
