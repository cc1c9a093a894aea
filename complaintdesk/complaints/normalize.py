"""Plate, VIN and phone number normalisation, so that a lookup matches however they were typed."""

import re

# Province abbreviations of mainland plates, plus 使/领 for embassy and consulate plates.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
# GA 36-2018: province, issuing-authority letter, then 5 characters (6 for new-energy plates);
# the last may be a special suffix (挂 trailer, 学 learner, 警 police, 港/澳 cross-border).
PLATE_RE = re.compile(rf"^[{_PROVINCES}][A-Z][A-HJ-NP-Z0-9]{{4,5}}[A-HJ-NP-Z0-9挂学警港澳]$")
# ISO 3779: 17 characters, letters I, O and Q never used.
VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_PLATE_NOISE = re.compile(r"[\s·•.\-_]")


def normalize_plate(value: str) -> str:
    """京a·12345, 京A 12345 and 京A-12345 all become 京A12345."""
    return _PLATE_NOISE.sub("", value or "").upper()


def is_valid_plate(value: str) -> bool:
    return bool(PLATE_RE.match(normalize_plate(value)))


def normalize_vin(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def is_valid_vin(value: str) -> bool:
    return bool(VIN_RE.match(normalize_vin(value)))


def normalize_phone(value: str) -> str:
    """Digits only, without the +86 / 0086 country prefix: '+86 138-0013-8000' → '13800138000'."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_phone(value: str) -> bool:
    return 7 <= len(normalize_phone(value)) <= 15
