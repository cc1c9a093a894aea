"""Template filters: safe_links (escaping, which schemes link), store-local time, deadlines."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from complaintdesk.core.templatetags.desk import (
    due_relative,
    due_soon,
    format_duration,
    is_overdue,
    safe_links,
    store_time,
)
from complaintdesk.org.models import Store

REL = 'rel="noopener noreferrer nofollow"'
NOW = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai


def link(url_html):
    return f'<a href="{url_html}" {REL}>{url_html}</a>'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see http://a.example/x", "see " + link("http://a.example/x")),
        (
            "https://a.example/x?y=1&z=2.",
            link("https://a.example/x?y=1&amp;z=2") + ".",
        ),
        ("mail mailto:kefu@a.example.cn", "mail " + link("mailto:kefu@a.example.cn")),
        ("call tel:+86-10-12345678!", "call " + link("tel:+86-10-12345678") + "!"),
        ("HTTPS://A.EXAMPLE/", link("HTTPS://A.EXAMPLE/")),
        # Chinese right after a link is not part of it.
        ("详见https://a.example/p。谢谢", "详见" + link("https://a.example/p") + "。谢谢"),
        ("（见 https://a.example/p）", "（见 " + link("https://a.example/p") + "）"),
        ("(https://a.example/p)", "(" + link("https://a.example/p") + ")"),
        ("https://a.example/wiki/A_(b)", link("https://a.example/wiki/A_(b)")),
    ],
)
def test_safe_links_links_only_web_mail_and_phone(text, expected):
    assert safe_links(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://a.example/x",
        "http://",
        "//a.example/x",
        "www.a.example",
    ],
)
def test_safe_links_never_links_other_schemes(text):
    assert "<a" not in safe_links(text)


def test_safe_links_escapes_everything_else():
    html = safe_links('<script>alert("x")</script> & <b>粗</b>\'')
    assert html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;粗&lt;/b&gt;&#x27;"
    )


def test_safe_links_cannot_break_out_of_the_href():
    html = safe_links('https://a.example/"onmouseover="alert(1)')
    assert html == link("https://a.example/") + "&quot;onmouseover=&quot;alert(1)"
    html = safe_links("https://a.example/<script>")
    assert html == link("https://a.example/") + "&lt;script&gt;"
    # A javascript: URL hidden inside an http one stays inside the (harmless) http href.
    html = safe_links("javascript:alert(1)//https://a.example")
    assert html == "javascript:alert(1)//" + link("https://a.example")


def test_safe_links_keeps_line_breaks():
    assert safe_links("第一行\n第二行\r\n第三行\r第四行") == (
        "第一行<br>\n第二行<br>\n第三行<br>\n第四行"
    )
    assert safe_links("") == "" and safe_links(None) == ""


def test_safe_links_in_a_template_with_autoescape():
    out = Template("{% load desk %}{{ t|safe_links }}").render(
        Context({"t": "<i>x</i> https://a.example"})
    )
    assert out == "&lt;i&gt;x&lt;/i&gt; " + link("https://a.example")


def test_store_time_uses_the_store_time_zone():
    value = dt.datetime(2026, 12, 3, 16, 30, tzinfo=dt.UTC)
    shanghai = Store(timezone="Asia/Shanghai")
    urumqi = Store(timezone="Asia/Urumqi")  # UTC+6
    assert store_time(value, shanghai) == "2026-12-04 00:30"
    assert store_time(value, urumqi) == "2026-12-03 22:30"
    assert store_time(value, "Europe/Berlin") == "2026-12-03 17:30"
    assert store_time("2026-12-03T16:30:00+00:00", shanghai) == "2026-12-04 00:30"
    assert store_time(None, shanghai) == ""
    out = Template("{% load desk %}{{ v|store_time:s }}").render(Context({"v": value, "s": urumqi}))
    assert out == "2026-12-03 22:30"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (0.2, "1 min"),
        (45, "45 min"),
        (60, "1 h"),
        (200, "3 h 20 min"),
        (24 * 60, "1 d"),
        (2 * 24 * 60 + 4 * 60 + 59, "2 d 4 h"),
    ],
)
def test_format_duration(minutes, expected):
    with translation.override("en"):
        assert format_duration(dt.timedelta(minutes=minutes)) == expected


def test_relative_due_times_at_render_time():
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        assert due_relative(NOW + dt.timedelta(minutes=45)) == "due in 45 min"
        assert due_relative(NOW - dt.timedelta(hours=3)) == "overdue by 3 h"
        assert is_overdue(NOW - dt.timedelta(seconds=1)) and not is_overdue(NOW)
        assert due_soon(NOW + dt.timedelta(minutes=59)) and not due_soon(
            NOW + dt.timedelta(hours=2)
        )
        assert not due_soon(NOW - dt.timedelta(minutes=1))
        assert due_relative(None) == "" and not is_overdue(None)
    with time_machine.travel(NOW, tick=False), translation.override("zh-hans"):
        assert due_relative(NOW - dt.timedelta(hours=3)) == "已超时 3 小时"
        assert due_relative(NOW + dt.timedelta(days=1, hours=2)) == "剩余 1 天 2 小时"


def test_countdown_renders_text_and_data_for_the_page_script():
    import datetime as dt

    import time_machine
    from django.utils import translation

    from complaintdesk.core.templatetags.desk import countdown

    due = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 40, tzinfo=dt.UTC), tick=False), translation.override("en"):
        html = countdown(due)
    assert 'data-due="2026-12-03T12:00:00+00:00"' in html
    assert ">due in 2 h 20 min</span>" in html
    assert 'data-overdue="overdue by {t}"' in html
