"""Small text helpers shared by the apps' display code."""

from collections.abc import Iterable

from django.utils.translation import pgettext


def join_list(items: Iterable) -> str:
    """Items joined the reader's way: 甲、乙 in Chinese, "a, b" in English."""
    return pgettext("list separator", ", ").join(str(item) for item in items)
