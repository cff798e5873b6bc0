from django import forms, template

from casework import selectors, vocabulary
from casework.workdays import procedure as procedure_setting

register = template.Library()


@register.simple_tag
def features_for(user):
    return selectors.features_for(user)


@register.simple_tag
def procedure(name: str) -> int:
    """A number of the trust's procedure settings: {% procedure "APPEAL_WORKING_DAYS" %}."""
    return procedure_setting(name)


@register.filter
def widget_kind(bound_field) -> str:
    """How a field is laid out: a single tick box, a group of choices, or an input."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "input"


@register.filter
def status_label(case) -> str:
    """The case's stage, as its subject would know it (a volunteer has meetings)."""
    return vocabulary.status_label(case)


@register.filter
def hearing_label(hearing, case) -> str:
    """e.g. "Disciplinary hearing", or for a volunteer "Meeting about the volunteering
    arrangement"."""
    return vocabulary.hearing_name(case, hearing.kind).capitalize()


@register.filter
def recommendation_label(report, case) -> str:
    return vocabulary.recommendation_label(case, report.recommendation)


@register.filter
def appeal_outcome_label(appeal, case) -> str:
    return vocabulary.appeal_outcome_label(case, appeal.outcome)
