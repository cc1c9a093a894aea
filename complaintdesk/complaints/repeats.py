"""Repeat complaints: earlier complaints of the same customer or vehicle, and similar open ones.

Shown on the complaint page (SPEC §7 counts repeat complaints; the handler should know that the
customer has complained before, and that another form about the same thing may be open).
Everything starts from `Complaint.objects.visible_to(user)`: a user sees only the complaints of
the stores they are granted, so a group-level user sees a customer's forms in every store of the
group, a store user only that store's.

Same customer or vehicle: the normalised identities the intake already keeps (VIN, plate,
phone — see complaints.normalize), plus the identity rows themselves.

Similar open complaints: a tf-idf cosine between the texts (Chinese character bigrams, English
words), over the most recent open complaints of the same store. Transparent on
purpose: the shared words are shown as the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaintdesk.complaints.choices import OPEN_STATES
from complaintdesk.complaints.models import Complaint
from complaintdesk.complaints.normalize import normalize_phone, normalize_plate, normalize_vin

# How many earlier complaints of the same customer/vehicle the page lists.
EARLIER_LIMIT = 20
# Similar open complaints: the candidates compared (newest first, same store) and what is shown.
SIMILAR_CANDIDATES = 2000
SIMILAR_LIMIT = 5
# Tf-idf cosine from which two texts count as "about the same thing" (idf over the compared
# texts, so a brand every form of the store names weighs little). Read off 400 real one-line
# complaints against their nearest neighbour among 1,948: from 0.45 the pairs are the same fault or
# promise of the same model; below 0.4 they share the model but not the matter.
SIMILAR_THRESHOLD = 0.45
# The text compared: the summary and the start of the description (long narratives would
# otherwise drown the point of the complaint).
TEXT_CHARS = 600

MATCH_LABELS = {
    "vehicle": _("same vehicle"),
    "vin": _("same VIN"),
    "plate": _("same plate"),
    "customer": _("same customer"),
    "phone": _("same phone"),
}

_HAN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z0-9]+")
# Words too common in complaints to say two are alike.
STOP_WORDS = frozenset(
    """a an and are as at be been but by car dealer dealership did do for from had has have he
    her his i in is it its my me not of on or our she so that the their them then there they this
    to was we were when which while who will with would you your vehicle after again all also
    any back because before could get got just no one out over said still than up""".split()
)
# Boilerplate of complaint one-liners ("…要求厂家解决", "4S店不予处理").
STOP_BIGRAMS = frozenset(
    "投诉 问题 车主 汽车 严重 出现 要求 求厂 厂家 家解 解决 尽快 快解 处理 希望 望厂 不予 予解 "
    "予处 未解 没有 店不".split()
)


def tokens(text: str) -> dict[str, int]:
    """Token counts of a text: Chinese character bigrams (a lone character counts as itself) and
    lower-case English words of 2+ letters outside STOP_WORDS."""
    counts: dict[str, int] = {}
    text = (text or "")[:TEXT_CHARS]
    for run in _HAN.findall(text):
        grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
        for gram in grams:
            if gram not in STOP_BIGRAMS:
                counts[gram] = counts.get(gram, 0) + 1
    for word in _WORD.findall(text.lower()):
        if len(word) > 1 and word not in STOP_WORDS and not word.isdigit():
            counts[word] = counts.get(word, 0) + 1
    return counts


def cosine(a: dict[str, int], b: dict[str, int]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(n * b.get(t, 0) for t, n in a.items())
    if not dot:
        return 0.0
    norm = math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values()))
    return dot / norm


def inverse_document_frequency(bags) -> dict[str, float]:
    """Smoothed idf over the compared texts: a word every complaint of the store shares (the
    brand, "4S店") weighs 1, a rare one up to 1 + ln((1 + n) / 2)."""
    df: dict[str, int] = {}
    for bag in bags:
        for token in bag:
            df[token] = df.get(token, 0) + 1
    n = len(bags)
    return {token: math.log((1 + n) / (1 + count)) + 1 for token, count in df.items()}


def weighted(bag: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    return {token: count * idf.get(token, 1.0) for token, count in bag.items()}


def complaint_text(c) -> str:
    return _text(c.summary, c.description)


def _text(summary, description) -> str:
    summary = summary or ""
    description = description or ""
    # Imported one-line complaints repeat the summary as the description.
    if description.startswith(summary):
        return description
    return f"{summary} {description}"


@dataclass
class Earlier:
    complaint: Complaint
    reasons: list[str] = field(default_factory=list)  # codes of MATCH_LABELS

    @property
    def reason_labels(self) -> list[str]:
        return [str(MATCH_LABELS[r]) for r in self.reasons]


@dataclass
class Similar:
    complaint: Complaint
    score: float
    shared: list[str]


@dataclass
class Related:
    earlier: list[Earlier]
    earlier_total: int
    similar: list[Similar]


def _identity_conditions(c: Complaint) -> list[tuple[str, Q]]:
    conds: list[tuple[str, Q]] = []
    if c.vehicle_id:
        conds.append(("vehicle", Q(vehicle_id=c.vehicle_id)))
    vin = normalize_vin(c.vin or (c.vehicle.vin if c.vehicle_id else ""))
    if vin:
        conds.append(("vin", Q(vehicle__vin=vin)))
    plate = normalize_plate(c.plate or (c.vehicle.plate if c.vehicle_id else ""))
    if plate:
        conds.append(("plate", Q(vehicle__plate_normalized=plate)))
    if c.customer_id:
        conds.append(("customer", Q(customer_id=c.customer_id)))
    phone = normalize_phone(c.customer_phone or "")
    if len(phone) >= 7:
        conds.append(("phone", Q(customer__phone_normalized=phone)))
    return conds


def earlier_complaints(user, c: Complaint, *, limit: int = EARLIER_LIMIT):
    """Other complaints of the same customer or vehicle the user may see, newest first, each
    with why it matched. Returns (rows, total)."""
    conds = _identity_conditions(c)
    if not conds:
        return [], 0
    match = Q(pk__in=[])
    for _name, cond in conds:
        match |= cond
    qs = Complaint.objects.visible_to(user).filter(match).exclude(pk=c.pk)
    total = qs.count()
    rows = list(
        qs.select_related("store", "vehicle", "customer", "current_step").order_by(
            "-received_at", "-id"
        )[:limit]
    )
    phone = normalize_phone(c.customer_phone or "")
    vin = normalize_vin(c.vin or "")
    plate = normalize_plate(c.plate or "")
    result = []
    for other in rows:
        reasons = []
        if c.vehicle_id and other.vehicle_id == c.vehicle_id:
            reasons.append("vehicle")
        elif other.vehicle_id and vin and other.vehicle.vin == vin:
            reasons.append("vin")
        elif other.vehicle_id and plate and other.vehicle.plate_normalized == plate:
            reasons.append("plate")
        if c.customer_id and other.customer_id == c.customer_id:
            reasons.append("customer")
        elif other.customer_id and len(phone) >= 7 and other.customer.phone_normalized == phone:
            reasons.append("phone")
        result.append(Earlier(other, reasons))
    return result, total


def similar_open(user, c: Complaint, *, exclude=(), limit: int = SIMILAR_LIMIT):
    """Open complaints of the same store whose text is close to this one's, best first."""
    mine = tokens(complaint_text(c))
    if not mine:
        return []
    candidates = list(
        Complaint.objects.visible_to(user)
        .filter(store_id=c.store_id, status__in=OPEN_STATES)
        .exclude(pk__in=[c.pk, *exclude])
        .order_by("-received_at", "-id")
        .values_list("id", "summary", "description")[:SIMILAR_CANDIDATES]
    )
    bags = [(pk, tokens(_text(summary, description))) for pk, summary, description in candidates]
    idf = inverse_document_frequency([mine, *(bag for _pk, bag in bags)])
    mine_w = weighted(mine, idf)
    scored = []
    for pk, bag in bags:
        score = cosine(mine_w, weighted(bag, idf))
        if score >= SIMILAR_THRESHOLD:
            shared = sorted(set(mine) & set(bag), key=lambda t: (-idf[t], t))
            scored.append((score, pk, shared[:8]))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    scored = scored[:limit]
    found = Complaint.objects.select_related("store", "current_step").in_bulk(
        [pk for _s, pk, _w in scored]
    )
    return [Similar(found[pk], score, shared) for score, pk, shared in scored if pk in found]


def related(user, c: Complaint) -> Related:
    earlier, total = earlier_complaints(user, c)
    similar = similar_open(user, c, exclude=[e.complaint.pk for e in earlier])
    return Related(earlier, total, similar)
