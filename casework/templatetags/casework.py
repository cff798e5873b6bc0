from django import template

from casework import selectors

register = template.Library()


@register.simple_tag
def features_for(user):
    return selectors.features_for(user)
