"""The vocabularies of a complaint (SPEC §2–§4), with named groups for the questions code asks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received, to register")
    INVESTIGATING = "investigating", _("Determining responsibility")
    PENDING_APPROVAL = "pending_approval", _("Pending matter, awaiting GM approval")
    PENDING = "pending", _("Pending matter")
    MANAGEMENT_REVIEW = "management_review", _("Management review")
    GM_DECISION = "gm_decision", _("GM decision")
    ACCOUNTABILITY = "accountability", _("Accountability")
    CALLBACK = "callback", _("Callback")
    COMPLETED = "completed", _("Completed, to archive")
    ARCHIVED = "archived", _("Archived")
    VOIDED = "voided", _("Voided")


# A complaint is "open" while somebody still owes it work on the clock.
OPEN_STATES = frozenset(
    {
        Status.RECEIVED,
        Status.INVESTIGATING,
        Status.PENDING_APPROVAL,
        Status.PENDING,
        Status.MANAGEMENT_REVIEW,
        Status.GM_DECISION,
        Status.ACCOUNTABILITY,
        Status.CALLBACK,
    }
)
# Nothing more can happen to these; edits are refused.
TERMINAL_STATES = frozenset({Status.ARCHIVED, Status.VOIDED})
# Intake fields (what happened, who, which vehicle) may be corrected while in these states.
EDITABLE_STATES = OPEN_STATES | {Status.COMPLETED}


class Channel(models.TextChoices):
    ONSITE = "onsite", _("On site")
    PHONE = "phone", _("Phone / hotline")
    CALLBACK = "callback", _("Found in a callback")
    LETTER = "letter", _("Letter")
    REGULATOR = "regulator", _("Regulator referral (e.g. 12315)")
    PLATFORM = "platform", _("Third-party complaint platform")
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    API = "api", _("API (DMS, call center)")


class Nature(models.TextChoices):
    # Responsibility can be determined at the time (SPEC §3) → workflow A.
    QUALITY = "quality", _("Quality problem")
    ATTITUDE = "attitude", _("Service attitude")
    WORKPLACE_CONDUCT = "workplace_conduct", _("Workplace conduct")
    DELAY = "delay", _("Delay of work")
    PARTS_PRICE = "parts_price", _("Parts price")
    LABOUR_CHARGE = "labour_charge", _("Labour charge")
    REPEAT_REPAIR = "repeat_repair", _("Same problem repaired repeatedly")
    SALES_PROCESS = "sales_process", _("Sales process")
    # Responsibility cannot be determined at the time → workflow B (pending matter).
    UNCLEAR_QUALITY = "unclear_quality", _("Unclear quality problem")
    PARTS_DELAY = "parts_delay", _("Parts delay")
    CUSTOMER_ABSENT = "customer_absent", _("Customer not present")
    CUSTOMER_NO_TIME = "customer_no_time", _("Customer has no time")
    OTHER = "other", _("Other")


UNDETERMINABLE_NATURES = frozenset(
    {Nature.UNCLEAR_QUALITY, Nature.PARTS_DELAY, Nature.CUSTOMER_ABSENT, Nature.CUSTOMER_NO_TIME}
)


class Severity(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    MAJOR = "major", _("Major")
    CRITICAL = "critical", _("Critical (public or legal impact)")


# SPEC §1/§3: a major complaint is raised a tier; a critical one goes to the GM at once.
MIN_TIER_FOR_SEVERITY = {Severity.ORDINARY: 1, Severity.MAJOR: 2, Severity.CRITICAL: 3}


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    UNFOUNDED = "unfounded", _("Unfounded (not as stated)")
    MALICIOUS = "malicious", _("Malicious complaint")


class Remedy(models.TextChoices):
    APOLOGY = "apology", _("Apology")
    FREE_REREPAIR = "free_rerepair", _("Free re-repair at the customer's chosen time")
    FREE_INSPECTION = "free_inspection", _("Free inspection")
    LABOUR_DISCOUNT = "labour_discount", _("Labour charge discount or waiver")
    PARTS_COMPENSATION = "parts_compensation", _("Parts compensation")
    MONEY_COMPENSATION = "money_compensation", _("Money compensation")
    SHUTTLE_OR_LOAN_CAR = "loan_car", _("Shuttle / loan car")
    EXPLANATION = "explanation", _("Explanation only")


class EventKind(models.TextChoices):
    CREATED = "created", _("Complaint received and numbered")
    TRANSITION = "transition", _("Status changed")
    EDITED = "edited", _("Details corrected")
    ASSIGNED = "assigned", _("Step assigned")
    TIER_CHANGED = "tier_changed", _("Handling tier changed")
    SEVERITY_CHANGED = "severity_changed", _("Severity changed")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    CALLBACK_ATTEMPT = "callback_attempt", _("Callback attempt")
    COMMENT = "comment", _("Comment")
    CLOCK_PAUSED = "clock_paused", _("Clock stopped (waiting on the customer)")
    CLOCK_RESUMED = "clock_resumed", _("Clock restarted")
    DEADLINE_WARNING = "deadline_warning", _("Deadline close")
    DEADLINE_BREACHED = "deadline_breached", _("Deadline missed")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("Due time recomputed")
    ESCALATION_WITHDRAWN = "escalation_withdrawn", _("Escalation withdrawn")
    REGULATORY = "regulatory", _("Regulatory deadline")
    SCRIPT_USED = "script_used", _("Handling script used")
    LEGAL_RISK = "legal_risk", _("Legal risk (three guarantees)")


class StepKind(models.TextChoices):
    """The steps of SPEC §4/§5 that run on a clock; one open Step row per open complaint."""

    REGISTER = "register", _("Report and register the form")
    DETERMINE = "determine", _("Determine responsibility")
    APPROVE_PENDING = "approve_pending", _("GM approval of the pending matter")
    PENDING = "pending", _("Pending matter: customer to return")
    REVIEW = "review", _("Management review")
    DECIDE = "decide", _("GM decision")
    ACCOUNTABILITY = "accountability", _("Execute accountability and hand over")
    CALLBACK = "callback", _("Call the customer back")
    ARCHIVE = "archive", _("Check and archive")
    # Regulatory deadlines (SPEC §9), running beside the workflow step.
    CONSUMER_NOTICE = "consumer_notice", _("Tell the consumer how the complaint is handled")
    REGULATOR_ACCEPTANCE = "regulator_acceptance", _("Regulator decides on acceptance")
    REGULATOR_MEDIATION = "regulator_mediation", _("Regulator mediation ends")
    REFUND_ANSWER = "refund_answer", _("Answer the replacement / refund request")
    REFUND_COMPLETE = "refund_complete", _("Complete the replacement / refund")


class StepTrack(models.TextChoices):
    WORKFLOW = "workflow", _("Workflow step")
    REGULATORY = "regulatory", _("Regulatory deadline")
