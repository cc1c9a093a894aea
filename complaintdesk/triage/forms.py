"""Forms of the triage pages. They only parse; triage.services validates and its ValidationFailed
errors are put back onto the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.triage.choices import TARGET_VALUES, Language, MatchMode, Target


def _select():
    return forms.Select(attrs={"class": "form-select form-select-sm"})


def value_choices() -> list:
    """Every value, grouped by the field it belongs to (the service checks the pair)."""
    return [
        (str(Target(t).label), [(v, str(label)) for v, label in TARGET_VALUES[t].choices])
        for t in Target.values
    ]


class RuleForm(forms.Form):
    keyword = forms.CharField(
        label=_("Keyword or phrase"),
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("Chinese or English, e.g. 异响, 态度差, “not fixed”."),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, initial=Language.ANY, widget=_select()
    )
    match = forms.ChoiceField(
        label=_("Match"),
        choices=MatchMode.choices,
        initial=MatchMode.WORD,
        widget=_select(),
        help_text=_(
            "Whole word: the keyword must be whole words of the text (Chinese as jieba cuts it). "
            "Part of a word: anywhere in a Chinese text; the start of an English word."
        ),
    )
    target = forms.ChoiceField(
        label=_("Suggests"), choices=Target.choices, initial=Target.NATURE, widget=_select()
    )
    value = forms.ChoiceField(label=_("Value"), choices=(), widget=_select())
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=0.1,
        max_value=9.9,
        decimal_places=1,
        initial=2,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.5"}),
        help_text=_(
            "Defect words weigh 3, attitude 2.5, decisive signals (repeat repair, sales "
            "wrongs) 4–4.5. The strongest rule decides; the others add a quarter."
        ),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = value_choices()

    def add_domain_errors(self, exc) -> None:
        if not exc.errors:
            self.add_error(None, str(exc.message))
        for name, messages in exc.errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, str(message))


class RuleFilterForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Suggests"),
        required=False,
        choices=[("", _("All fields"))] + list(Target.choices),
        widget=_select(),
    )
    value = forms.ChoiceField(label=_("Value"), required=False, choices=(), widget=_select())
    q = forms.CharField(
        label=_("Keyword"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "type": "search"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].choices = [("", _("All values"))] + value_choices()


class SuggestForm(forms.Form):
    """What the intake form (or the rule tester) sends while the text is typed."""

    summary = forms.CharField(required=False, max_length=200, strip=True)
    description = forms.CharField(required=False, max_length=20_000, strip=True)
    customer_demand = forms.CharField(required=False, max_length=20_000, strip=True)
    store = forms.CharField(required=False, max_length=20)
    tokens = forms.BooleanField(required=False)
