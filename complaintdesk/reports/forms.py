from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.reports import summaries
from complaintdesk.reports.models import Sanction

DATE = forms.DateInput(
    attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
)


class PeriodForm(forms.Form):
    store = forms.TypedChoiceField(label=_("Store"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    kind = forms.ChoiceField(
        required=False,
        choices=[
            (summaries.FEEDBACK, _("Feedback forms")),
            (summaries.SANCTIONS, _("Rewards and penalties")),
        ],
    )

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [("", _("All my stores"))] + [(s.pk, s.name) for s in stores]
        self.fields["store"].widget.attrs["class"] = "form-select form-select-sm"


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Reward or penalty"), choices=Sanction.Kind.choices)
    person = forms.IntegerField(label=_("Person"), required=False)
    department = forms.IntegerField(label=_("Department"), required=False)
    amount = forms.DecimalField(label=_("Amount (CNY)"), min_value=0, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
