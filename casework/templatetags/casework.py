import re
from functools import cache

from django import forms, template
from django.template.defaultfilters import date as django_date
from django.urls import get_script_prefix, reverse

from casework import permissions, selectors, vocabulary
from casework.workdays import procedure as procedure_setting
from casework.worklists import selectors as worklists

register = template.Library()


@register.simple_tag
def features_for(user):
    return selectors.features_for(user)


@register.simple_tag(takes_context=True)
def procedure(context, name: str, trust=None) -> int:
    """A number of a trust's procedure settings: {% procedure "APPEAL_WORKING_DAYS" %} for the
    reader's trust, {% procedure "APPEAL_WORKING_DAYS" case.trust_id %} for a case's."""
    if trust is None:
        request = context.get("request")
        trust = permissions.trust_of(request.user if request is not None else None)
    return procedure_setting(name, trust=trust)


# A reference the case page's address is reversed with once, then replaced by each row's.
_SOME_REFERENCE = "SM-0000-0000"


@cache
def _case_address_pattern(script_prefix: str) -> str:
    return reverse("casework:case", args=[_SOME_REFERENCE])


@register.filter
def case_address(reference: str) -> str:
    """The case page's address, as ``{% url 'casework:case' reference %}`` gives it: a list
    of many rows reverses the address once (a reverse is some 0.1 ms a row), not per row."""
    return _case_address_pattern(get_script_prefix()).replace(_SOME_REFERENCE, reference, 1)


# Django's |date, in English, for the format letters list rows use: it looks up the
# language's formats and names at each call, some 0.07 ms a date, two or three dates a row.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DATE_PARTS = {
    "j": lambda d: str(d.day),
    "d": lambda d: f"{d.day:02d}",
    "m": lambda d: f"{d.month:02d}",
    "M": lambda d: _MONTHS[d.month - 1],
    "Y": lambda d: f"{d.year:04d}",
    "D": lambda d: _DAYS[d.weekday()],
    "H": lambda d: f"{d.hour:02d}",
    "i": lambda d: f"{d.minute:02d}",
    "s": lambda d: f"{d.second:02d}",
    "c": lambda d: d.isoformat(),
}
_QUICK_FORMAT = re.compile(r"[jdmMYDHisc ,:/-]+")


@cache
def _date_writer(format_string: str):
    """The format as a list of its parts (a function of the date, or the text itself); None
    for a format with anything else in it, which Django's |date then writes."""
    if not _QUICK_FORMAT.fullmatch(format_string):
        return None
    return [_DATE_PARTS.get(char, char) for char in format_string]


@register.filter(expects_localtime=True)
def quick_date(value, format_string: str) -> str:
    """As ``|date:format_string`` writes the date (or the time, in the local time zone)."""
    if value in (None, ""):
        return ""
    writer = _date_writer(format_string)
    if writer is None or not hasattr(value, "year"):
        return django_date(value, format_string)
    if not hasattr(value, "hour") and any(char in format_string for char in "His"):
        return django_date(value, format_string)  # a time asked of a date: Django's answer
    return "".join(part if isinstance(part, str) else part(value) for part in writer)


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


@register.simple_tag
def worklist_counts(user):
    """The worklist's counts for the menu, or None without a casework role (no worklist)."""
    if not permissions.held_roles(user):
        return None
    return {**worklists.counts(user), "url": reverse("workflow:inbox")}
