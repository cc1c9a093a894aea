from django import forms
from django.utils.translation import gettext_lazy as _

from complaintdesk.notifications.choices import Kind
from complaintdesk.notifications.models import WebhookEndpoint, validate_http_url


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Send me notifications by e-mail"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_(
            "In-app notifications are always on. E-mails outside office hours wait for the next "
            "opening, except for critical complaints; several at once arrive as one digest."
        ),
    )


class WebhookEndpointForm(forms.ModelForm):
    """Admin form: the kinds as check boxes, the secret not echoed in the page."""

    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_http_url],
        help_text=_(
            "WeCom: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; DingTalk: "
            "https://oapi.dingtalk.com/robot/send?access_token=…. If a DingTalk robot checks "
            "keywords, use one that every message contains."
        ),
    )
    kinds = forms.MultipleChoiceField(
        label=_("kinds posted"),
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of notification."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["store", "name", "kind", "url", "secret", "kinds", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}
