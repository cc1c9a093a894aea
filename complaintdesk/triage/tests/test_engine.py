"""The engine on hand-made texts: a small rule set whose scores are worked out by hand, then the
shipped vocabulary on typical complaints in Chinese and English."""

import pytest

from complaintdesk.triage import engine, selectors
from complaintdesk.triage.engine import Rule

NATURE, SEVERITY, DEPARTMENT = "nature", "severity", "department"

RULES = [
    Rule("异响", NATURE, "quality", 3, "zh", "part", id=1),
    Rule("态度", NATURE, "attitude", 2.5, "zh", "part", id=2),
    Rule("多次维修", NATURE, "repeat_repair", 4, "zh", "part", id=3),
    Rule("多次", NATURE, "repeat_repair", 2, "zh", "part", id=4),
    Rule("不理", NATURE, "attitude", 2.5, "zh", "word", id=5),
    Rule("受伤", SEVERITY, "critical", 3, "zh", "part", id=6),
    Rule("隐患", SEVERITY, "major", 2, "zh", "part", id=7),
    Rule("销售", DEPARTMENT, "sales", 2.5, "zh", "part", id=8),
    Rule("stall", NATURE, "quality", 3, "en", "word", id=9),
    Rule("injur", SEVERITY, "critical", 3, "en", "part", id=10),
    Rule("could not duplicate", NATURE, "unclear_quality", 4, "en", "word", id=11),
    Rule("rude", NATURE, "attitude", 2.5, "en", "word", id=12),
    Rule("漏油", NATURE, "quality", 3, "zh", "part", id=13),
    Rule("replace the vehicle", SEVERITY, "critical", 3, "en", "word", id=14),
]


@pytest.fixture(scope="module")
def rules():
    return engine.compile_rules(RULES)


def found(field):
    return [(r.found, r.value) for r in field.reasons if not r.from_nature]


def test_stemming_lets_word_forms_meet():
    assert {engine.stem(w) for w in ("fail", "failed", "fails", "failing")} == {"fail"}
    assert {engine.stem(w) for w in ("stall", "stalled", "stalling", "stalls")} == {"stall"}
    assert engine.stem("injuries") == engine.stem("injury") == "injury"
    assert engine.stem("stopped") == "stop"
    assert engine.stem("异响") == "异响"


def test_chinese_is_segmented_by_jieba_and_english_into_words():
    assert [t.text for t in engine.tokenize("变速箱漏油", "zh")] == ["变速箱", "漏油"]
    assert [t.norm for t in engine.tokenize("The engine STALLED twice.", "en")] == [
        "the",
        "engin",
        "stall",
        "twic",
    ]
    assert engine.language_of("ABS灯亮") == "zh"
    assert engine.language_of("ABS light on") == "en"


def test_defect_words_add_up_with_a_quarter_for_the_weaker_ones(rules):
    s = engine.suggest(["发动机异响，漏油"], rules)
    # quality: strongest 3 + a quarter of the other 3 = 3.75
    assert (s.nature.value, s.nature.score) == ("quality", 3.75)
    assert found(s.nature) == [("异响", "quality"), ("漏油", "quality")]
    assert s.nature.clear and not s.nature.tie
    assert s.severity.value == "ordinary"
    # No department word: the nature's department (quality → service, vote 2).
    assert (s.department.value, s.department.score) == ("service", 2.0)
    assert s.department.reasons[0].from_nature == "quality"


def test_repeat_repair_outweighs_the_defect_and_overlapping_words_count_once(rules):
    s = engine.suggest(["多次维修后还是异响"], rules)
    # 多次 (2) lies inside 多次维修 (4): the same words are one piece of evidence → 4, not 4.5.
    assert (s.nature.value, s.nature.score) == ("repeat_repair", 4.0)
    assert (s.nature.runner_up, s.nature.runner_up_score) == ("quality", 3.0)
    assert s.nature.clear  # 4 ≥ 2 and 1 ahead


def test_whole_word_rule_needs_jieba_word_boundaries(rules):
    # jieba cuts 不理想 as 不/理想: the whole-word rule 不理 does not fire, 态度 does.
    s = engine.suggest(["销售员态度不理想"], rules)
    assert found(s.nature) == [("态度", "attitude")]
    assert s.nature.score == 2.5
    # 销售 (2.5) beats the attitude's weak lean to service (1).
    assert s.department.value == "sales"
    s = engine.suggest(["打电话他们不理我"], rules)
    assert found(s.nature) == [("不理", "attitude")]


def test_negated_and_hypothetical_words_are_ignored(rules):
    s = engine.suggest(["没有人受伤，但有安全隐患"], rules)
    assert s.severity.value == "major"
    assert found(s.severity) == [("隐患", "major")]
    assert engine.suggest(["司机受伤"], rules).severity.value == "critical"
    s = engine.suggest(
        ["The engine stalled twice. The dealer could not duplicate it. No injuries."], rules
    )
    assert s.nature.value == "unclear_quality"  # 4 over the stall's 3
    assert s.severity.value == "ordinary"  # "No injuries"
    s = engine.suggest(["The service manager was rude and I was injured"], rules)
    assert (s.nature.value, s.severity.value) == ("attitude", "critical")
    assert found(s.severity) == [("injured", "critical")]


def test_english_phrases_do_not_run_across_sentences(rules):
    assert engine.suggest(["They replaced it. The vehicle is fine."], rules).severity.value == (
        "ordinary"
    )
    s = engine.suggest(["I want them to replace the vehicle"], rules)
    assert s.severity.value == "critical"


def test_severity_takes_the_highest_level_found(rules):
    s = engine.suggest(["存在隐患，司机受伤"], rules)
    assert (s.severity.value, s.severity.runner_up) == ("critical", "major")


def test_rules_apply_to_their_language_only(rules):
    # An English rule is not tried on a Chinese text that happens to contain the word.
    assert engine.suggest(["服务顾问很rude"], rules).nature.value == ""
    assert engine.suggest(["The car was rude"], rules).nature.value == "attitude"


def test_nothing_matched_is_no_suggestion(rules):
    s = engine.suggest(["客户来电咨询"], rules)
    assert s.nature.value == "" and s.department.value == ""
    assert s.nature.confidence == "none"
    assert s.severity.value == "ordinary"


def test_a_tie_is_broken_by_priority_but_marked():
    tied = engine.compile_rules(
        [
            Rule("异响", NATURE, "quality", 3, "zh", "part", id=1),
            Rule("态度", NATURE, "attitude", 3, "zh", "part", id=2),
        ]
    )
    s = engine.suggest(["异响，态度差"], tied)
    # The labelling guide: the fault the store must fix first wins over the attitude.
    assert (s.nature.value, s.nature.runner_up) == ("quality", "attitude")
    assert s.nature.tie and not s.nature.clear
    cal = engine.Calibration(
        shipped={NATURE: {"quality": {"precision": 1.0, "predicted": 50, "support": 50, "tp": 50}}}
    )
    assert engine.suggest(["异响，态度差"], tied, cal).nature.confidence == "low"


# ---------------------------------------------------------------------------------------------
# The shipped vocabulary (loaded by the migration).

BUILT_IN = [
    # text, nature, severity, department — worked out from SPEC §3 and the labelling guide
    ("发动机异响，还有漏油", "quality", "ordinary", "service"),
    ("4S店服务态度恶劣，打电话对我爱答不理", "attitude", "ordinary", "service"),
    ("保养时技师在车里抽烟，没套座套，把座椅弄脏了", "workplace_conduct", "ordinary", "service"),
    ("车放在店里修了一个多月还没修好", "delay", "major", "service"),
    ("更换的配件价格太贵", "parts_price", "ordinary", "parts"),
    ("工时费收费太高", "labour_charge", "ordinary", "service"),
    ("变速箱多次维修仍然顿挫", "repeat_repair", "major", "service"),
    ("购车时被收取金融服务费，配置与宣传不符", "sales_process", "major", "sales"),
    ("仪表故障灯时亮时灭，4S店查不出原因", "unclear_quality", "major", "service"),
    ("等配件等了两个月还没到货", "parts_delay", "major", "parts"),
    ("刹车失灵差点出事故，要求退车", "quality", "critical", "service"),
    ("已经找了律师准备起诉4S店", "", "critical", ""),
    ("钣金喷漆后有明显色差", "quality", "ordinary", "bodyshop"),
    ("The service advisor was rude and ignored my calls", "attitude", "ordinary", "service"),
    (
        "My car was scratched while at the dealer for an oil change",
        "workplace_conduct",
        "ordinary",
        "bodyshop",
    ),
    # Weeks without the car: a long loss of use (major).
    (
        "The part is on back order, I have been waiting for parts for 3 weeks",
        "parts_delay",
        "major",
        "parts",
    ),
    ("The engine stalled on the highway and the vehicle crashed", "quality", "critical", "service"),
    (
        "The lender reported late payments to the credit bureau and repossessed my car",
        "other",
        "major",
        "finance",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("text", "nature", "severity", "department"), BUILT_IN)
def test_built_in_rules_on_typical_complaints(text, nature, severity, department):
    s = engine.suggest([text], selectors.compiled_rules(None))
    assert (s.nature.value, s.severity.value, s.department.value) == (
        nature,
        severity,
        department,
    ), s.as_dict()
    for field in (s.nature, s.severity, s.department):
        if field.value and field.reasons:
            assert field.reasons[0].value == field.value  # the why of the suggestion comes first
