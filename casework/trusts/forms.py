"""The trust's settings page: its letterhead and every figure of its procedure.

The figures are taken as they are typed and checked by the service, which says what is
wrong with each; the form only lays them out, each with the environment's default beside it.
"""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from .services import (
    LETTERHEAD_FIELDS,
    LOGO_MAX_BYTES,
    PROCEDURE_FIGURES,
    REMINDER_ESCALATION,
    RETENTION_FIGURES,
    Figure,
    defaults,
)


def field_name(key: str) -> str:
    """The form field of a value: ``procedure.APPEAL_WORKING_DAYS`` is
    ``procedure__APPEAL_WORKING_DAYS``."""
    return key.replace(".", "__")


def _figure_field(figure: Figure, default: object) -> forms.CharField:
    return forms.CharField(
        label=f"{figure.label} ({figure.unit})",
        required=False,
        max_length=12,
        help_text=f"The installation's default: {default}.",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "cw-input--short", "autocomplete": "off"}
        ),
    )


class TrustSettingsForm(forms.Form):
    letterhead_name = forms.CharField(
        label=LETTERHEAD_FIELDS["letterhead_name"], required=False, max_length=400
    )
    address = forms.CharField(
        label=LETTERHEAD_FIELDS["address"],
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One part a line, or parts separated by commas.",
    )
    telephone = forms.CharField(label=LETTERHEAD_FIELDS["telephone"], required=False, max_length=80)
    email = forms.CharField(
        label=LETTERHEAD_FIELDS["email"],
        required=False,
        max_length=400,
        widget=forms.EmailInput(),
    )
    logo = forms.FileField(
        label="A new logo",
        required=False,
        help_text=(
            f"A PNG or JPEG picture of at most {filesizeformat(LOGO_MAX_BYTES)}, printed at "
            "the top of every letter."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label="Print letters without a logo", required=False)

    def __init__(self, *args, has_logo: bool = False, uses_static_logo: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not has_logo:
            del self.fields["remove_logo"]
        if uses_static_logo:
            self.fields["logo"].help_text += (
                f" Letters now carry the installation's logo ({uses_static_logo}); saving these "
                "settings keeps it as the trust's own if it is a PNG or JPEG."
            )
        shown = defaults()
        for figure in PROCEDURE_FIGURES:
            key = f"procedure.{figure.name}"
            self.fields[field_name(key)] = _figure_field(figure, shown[key])
        for figure in RETENTION_FIGURES:
            key = f"retention.{figure.name}"
            self.fields[field_name(key)] = _figure_field(figure, shown[key])
        self.fields[REMINDER_ESCALATION.name] = _figure_field(
            REMINDER_ESCALATION, shown[REMINDER_ESCALATION.name]
        )
        self.fields["hr_lead_email"] = forms.CharField(
            label="HR lead's e-mail address",
            required=False,
            max_length=400,
            widget=forms.EmailInput(),
            help_text=(
                "Told of what is overdue. Empty: every HR case manager free of a conflict is "
                f"told. The installation's default: {shown['hr_lead_email'] or 'empty'}."
            ),
        )

    # What may be left empty (the page says so); every figure and the name are needed.
    optional = ("address", "telephone", "email", "logo", "hr_lead_email")

    def sections(self) -> list[tuple[str, str, list]]:
        """The page's parts, each a heading, a line saying what it is, and its fields (each
        with whether it may be left empty)."""
        letterhead = ["letterhead_name", "address", "telephone", "email", "logo", "remove_logo"]
        parts = [
            (
                "Letterhead",
                "Printed at the top of every letter the trust's cases send.",
                [self[name] for name in letterhead if name in self.fields],
            ),
            (
                "The procedure's figures",
                "The numbers the trust's procedure leaves to the trust. Working days leave out "
                "weekends, bank holidays and school closure days.",
                [self[field_name(f"procedure.{f.name}")] for f in PROCEDURE_FIGURES],
            ),
            (
                "Retention",
                "How long records are kept once a case is closed.",
                [self[field_name(f"retention.{f.name}")] for f in RETENTION_FIGURES],
            ),
            (
                "Reminders",
                "Who is told when a deadline has passed.",
                [self[REMINDER_ESCALATION.name], self["hr_lead_email"]],
            ),
        ]
        return [
            (heading, about, [(field, field.name in self.optional) for field in fields])
            for heading, about, fields in parts
        ]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "letterhead_name": data["letterhead_name"],
            "address": data["address"],
            "telephone": data["telephone"],
            "email": data["email"],
            "logo": data.get("logo") or None,
            "remove_logo": bool(data.get("remove_logo")),
            "procedure": {
                f.name: data[field_name(f"procedure.{f.name}")] for f in PROCEDURE_FIGURES
            },
            "retention": {
                f.name: data[field_name(f"retention.{f.name}")] for f in RETENTION_FIGURES
            },
            "reminder_escalation_working_days": data[REMINDER_ESCALATION.name],
            "hr_lead_email": data["hr_lead_email"],
        }


def initial_from(values: dict) -> dict:
    """The form's first values: what the trust works to now."""
    return {field_name(key): value for key, value in values.items() if key != "logo"}
