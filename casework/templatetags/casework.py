from django import forms, template

from casework import selectors

register = template.Library()


@register.simple_tag
def features_for(user):
    return selectors.features_for(user)


@register.filter
def widget_kind(bound_field) -> str:
    """How a field is laid out: a single tick box, a group of choices, or an input."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    return "input"
