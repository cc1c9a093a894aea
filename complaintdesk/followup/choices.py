"""Vocabularies of pending matters (SPEC §5) and callbacks (SPEC §6)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS / WeChat")
    VISIT = "visit", _("Home visit")
    IN_STORE = "in_store", _("In the store")


class ContactOutcome(models.TextChoices):
    REMINDED = "reminded", _("Reminded, will return")
    NOT_YET = "not_yet", _("Reached, cannot come yet")
    NO_ANSWER = "no_answer", _("Not reached")
    DECLINED = "declined", _("Declines to return")
    RETURNED = "returned", _("Customer returned: continue in workflow A")


class Satisfaction(models.IntegerChoices):
    """The callback's stated scale (SPEC §6). 3 and above count as satisfied; 2 and 1 reopen the
    complaint one tier higher, and 1 (seriously dissatisfied) is called back again."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    NEUTRAL = 3, _("Neutral")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


SATISFIED_FROM = 3
SERIOUSLY_DISSATISFIED = Satisfaction.VERY_DISSATISFIED
