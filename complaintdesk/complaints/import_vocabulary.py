"""What the headers and cells of an import file may say, in English and Chinese.

COLUMNS maps our fields to the header names that mean them; CHANNEL_KEYWORDS turns a file's free
channel wording into our Channel (a wording that matches nothing is a row error, never a silent
default); NATURE_WORDS and SEVERITY_WORDS accept the Chinese terms of SPEC §3 beside our codes.
"""

import re

from complaintdesk.complaints.choices import Channel, Nature, Severity


def norm(text) -> str:
    """Header/keyword comparison form: no BOM or zero-width marks, lower case, `_` for spaces."""
    text = str(text or "").replace("\ufeff", "").replace("\u200b", "").strip()
    text = text.strip("*:：").strip().lower()
    return re.sub(r"[\s\-]+", "_", text)


# Our field -> the headers that mean it. The first name is the one error messages show.
COLUMNS: dict[str, tuple[str, ...]] = {
    "received_at": (
        "received_at",
        "date",
        "datetime",
        "received",
        "received_date",
        "complaint_date",
        "投诉日期",
        "投诉时间",
        "日期",
        "接收日期",
        "受理日期",
        "受理时间",
    ),
    "received_time": ("received_time", "time", "时间", "接收时间"),
    "summary": ("summary", "title", "subject", "问题简述", "摘要", "标题", "投诉标题", "概要"),
    "description": (
        "description",
        "text",
        "details",
        "narrative",
        "complaint",
        "投诉内容",
        "问题描述",
        "详细描述",
        "内容",
        "描述",
    ),
    "channel": ("channel", "渠道", "来源", "投诉渠道", "来源渠道", "submitted_via"),
    "plate": ("plate", "plate_number", "license_plate", "车牌号", "车牌", "车牌号码"),
    "vin": ("vin", "车架号", "vin码", "车辆识别代号"),
    "vehicle_model": ("vehicle_model", "model", "车型", "车系"),
    "vehicle_brand": ("vehicle_brand", "brand", "make", "品牌"),
    "customer_name": ("customer_name", "customer", "客户姓名", "客户", "姓名", "顾客姓名"),
    "customer_phone": (
        "customer_phone",
        "phone",
        "mobile",
        "telephone",
        "联系电话",
        "电话",
        "手机",
        "手机号",
    ),
    "contact_name": ("contact_name", "contact", "联系人"),
    "contact_phone": ("contact_phone", "联系人电话"),
    "nature": ("nature", "性质", "投诉性质"),
    "severity": ("severity", "严重程度"),
    "source_ref": ("source_id", "external_id", "external id", "ref", "投诉编号", "外部编号"),
    "source": ("source", "data_source", "数据来源"),
    "source_category": ("category", "分类", "类别", "投诉分类", "问题分类"),
    "location": ("location", "place", "地点", "投诉地点"),
    "repair_order": ("repair_order", "repair_order_no", "ro_number", "维修工单号", "工单号"),
    "sales_contract": ("sales_contract", "contract", "销售合同号", "合同号"),
    "customer_demand": ("customer_demand", "demand", "客户诉求", "诉求", "客户要求"),
    "result_so_far": ("result_so_far", "目前结果", "处理情况"),
    "involved_staff_note": ("involved_staff", "staff_involved", "当事人", "涉及人员"),
}
ALIASES: dict[str, str] = {norm(a): f for f, names in COLUMNS.items() for a in names}

# Free-text channel wording → our Channel, first match wins (order matters: "电话回访" before
# "电话", "e-mail" before "mail", the NHTSA register fallback last). ASCII keywords match whole
# words. Every distinct value of the real files in shared/data/complaints is covered:
#   第三方投诉平台 车质网 online complaint (status: …)       → platform
#   NHTSA hotline (phone) VOQ                               → phone
#   NHTSA web site VOQ / CFPB, submitted via Web            → web
#   LETT (NHTSA's code) / consumer letter                   → letter
#   portable safety complaint form (PDF) (a paper form)     → letter
#   NHTSA ODI complaint (submission channel not in file),
#   NHTSA vehicle owner questionnaire                       → regulator (it reached us from the
#                                                             regulator's register; how the owner
#                                                             filed it is unknown)
CHANNEL_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (Channel.CALLBACK, ("电话回访", "回访", "callback", "call back")),
    (
        Channel.PLATFORM,
        ("车质网", "12365auto", "投诉平台", "第三方", "黑猫", "online complaint", "platform"),
    ),
    (
        Channel.REGULATOR,
        (
            "12315",
            "行政主管",
            "市场监管",
            "工商",
            "消协",
            "消费者协会",
            "转办",
            "referral",
            "referred",
            "regulator",
        ),
    ),
    (Channel.PHONE, ("电话", "热线", "呼叫中心", "hotline", "phone", "telephone", "call center")),
    (Channel.EMAIL, ("电子邮件", "邮件", "e-mail", "email")),
    (Channel.WEB, ("网站", "网页", "官网", "web", "website", "web site", "mobile app", "online")),
    (
        Channel.LETTER,
        ("信函", "来信", "信件", "传真", "letter", "lett", "postal", "mail", "fax", "(pdf)"),
    ),
    (Channel.ONSITE, ("现场", "到店", "来店", "on site", "onsite", "walk-in", "in person")),
    (Channel.API, ("接口", "api", "dms")),
    (Channel.REGULATOR, ("nhtsa", "odi", "vehicle owner questionnaire", "cfpb")),
)
CHANNEL_EXACT: dict[str, str] = {
    **{norm(c.value): c.value for c in Channel},
    **{
        norm(k): v
        for k, v in {
            "现场": Channel.ONSITE,
            "电话": Channel.PHONE,
            "电话接收": Channel.PHONE,
            "电话回访": Channel.CALLBACK,
            "信函": Channel.LETTER,
            "行政主管部门": Channel.REGULATOR,
            "12315": Channel.REGULATOR,
            "第三方平台": Channel.PLATFORM,
            "网页表单": Channel.WEB,
            "电子邮件": Channel.EMAIL,
            "e-mail": Channel.EMAIL,
        }.items()
    },
}
NATURE_WORDS: dict[str, str] = {
    "质量问题": Nature.QUALITY,
    "质量": Nature.QUALITY,
    "服务态度": Nature.ATTITUDE,
    "态度": Nature.ATTITUDE,
    "文明生产": Nature.WORKPLACE_CONDUCT,
    "工期延误": Nature.DELAY,
    "配件价格": Nature.PARTS_PRICE,
    "工时费": Nature.LABOUR_CHARGE,
    "同一问题多次维修": Nature.REPEAT_REPAIR,
    "多次维修": Nature.REPEAT_REPAIR,
    "销售问题": Nature.SALES_PROCESS,
    "销售流程": Nature.SALES_PROCESS,
    "不明确的质量问题": Nature.UNCLEAR_QUALITY,
    "质量问题不明确": Nature.UNCLEAR_QUALITY,
    "配件延时": Nature.PARTS_DELAY,
    "客户不在场": Nature.CUSTOMER_ABSENT,
    "客户没有时间": Nature.CUSTOMER_NO_TIME,
    "其他": Nature.OTHER,
}
SEVERITY_WORDS: dict[str, str] = {
    "一般": Severity.ORDINARY,
    "普通": Severity.ORDINARY,
    "重大": Severity.MAJOR,
    "重大投诉": Severity.MAJOR,
    "重特大": Severity.CRITICAL,
    "重特大投诉": Severity.CRITICAL,
}


def _keyword_re(word: str) -> re.Pattern:
    if word.isascii():
        return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")
    return re.compile(re.escape(word))


_CHANNEL_RES = [(ch, [_keyword_re(w) for w in words]) for ch, words in CHANNEL_KEYWORDS]


def channel_for(text: str) -> str | None:
    """Our channel code for a file's channel wording, or None when nothing matches."""
    exact = CHANNEL_EXACT.get(norm(text))
    if exact:
        return exact
    low = str(text).lower()
    for channel, patterns in _CHANNEL_RES:
        if any(p.search(low) for p in patterns):
            return channel
    return None


def choice_for(text: str, choices, words: dict[str, str]) -> str | None:
    key = norm(text)
    for member in choices:
        if key in (norm(member.value), norm(str(member.label))):
            return member.value
    return words.get(str(text).strip())
