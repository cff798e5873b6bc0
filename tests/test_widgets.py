"""Selects are written out without a template per option: to exactly Django's own HTML."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from casework.forms import RegisterFilterForm
from casework.models import Clause, School
from casework.widgets import QuickRenderer
from casework.worklists.forms import WorklistFilterForm
from tests.trusts import demo_trust_id

pytestmark = pytest.mark.django_db


class Awkward(forms.Form):
    grouped = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Any <b>stage</b>"),
            ("x", "Fish & chips"),
            ('Group "one"', [("g1", "G1"), ("g2", 'Say "hello"')]),
        ],
    )
    many = forms.MultipleChoiceField(
        required=False, choices=[("1", "One"), ("2", "Two")], help_text="Choose any."
    )
    radio = forms.ChoiceField(required=False, widget=forms.RadioSelect, choices=[("a", "A")])


def written(form: forms.Form, renderer) -> dict[str, str]:
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "make",
    [
        lambda: Awkward({"grouped": "g2", "many": ["1", "2"]}),
        lambda: Awkward(),
        lambda: RegisterFilterForm(
            {"status": "open", "school": School.objects.first().pk, "clause": "999"},
            trust=demo_trust_id(),
        ),
        lambda: RegisterFilterForm(
            {"clause": Clause.objects.first().pk, "part": "chairing"}, trust=demo_trust_id()
        ),
        lambda: WorklistFilterForm({"due": "week"}, trust=demo_trust_id()),
    ],
)
def test_a_select_is_written_exactly_as_djangos_templates_write_it(make):
    assert written(make(), QuickRenderer()) == written(make(), DjangoTemplates())


def test_the_project_writes_its_selects_without_their_templates(settings, monkeypatch):
    assert settings.FORM_RENDERER == "casework.widgets.QuickRenderer"
    templates = []
    real = DjangoTemplates.get_template

    def recorded(self, name):
        templates.append(name)
        return real(self, name)

    monkeypatch.setattr(DjangoTemplates, "get_template", recorded)
    form = RegisterFilterForm({"status": "open"}, trust=demo_trust_id())
    assert '<option value="open" selected>Any open stage</option>' in str(form["status"])
    assert str(form["q"]).startswith("<input")
    assert templates == ["django/forms/widgets/text.html"]  # the input's; none for the select
