from django import forms, template

from casework import selectors
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
