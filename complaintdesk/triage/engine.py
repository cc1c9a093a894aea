"""The triage model: text + keyword rules → a suggested nature, severity and department, each with
its score, its confidence and the rules that fired (issue 6; natures and severities of SPEC §3).

Pure functions over plain data (rules, texts, a calibration); the only state is the lazily
loaded jieba segmenter. Nothing here reads the database: `services`/`selectors` load the rules
and the live feedback and hand them in.

How a text is read
------------------
- Language: a text with any CJK character is Chinese (`zh`), otherwise English (`en`). A rule
  applies when its language is `any` or the text's.
- Chinese is segmented with jieba (precise mode; every Chinese keyword of the rules is added to
  its dictionary so that a keyword segments whole). English is split into words, lower-cased,
  with a light suffix stemming (failed/failing/fails → fail, injuries → injury).
- A rule matches in one of two modes: **whole word** (the keyword is one or more whole tokens
  of the segmentation: 不理 matches “对我不理” but not “不理想”, which jieba cuts 不/理想) or
  **part of a word** (Chinese: the keyword anywhere in the text; English: a word that starts
  with the keyword, so `injur` matches injured and injuries).
- A match right after a negation is ignored: Chinese 没/没有/无/未/不/没有人/无人/未发生… in the
  four characters before it; English no/not/never/without… among the three words before it
  (“there were no injuries”). A keyword that itself starts with a negation (未解决, not fixed)
  is never treated as negated.

How a value is chosen
---------------------
- Each rule counts once per text, however often its keyword occurs.
- A value's score is the weight of its strongest rule plus a quarter of the weights of its other
  rules: weights act as priorities (a repeat-repair phrase at 4 outweighs three defect words at
  3), and more evidence still helps a little.
- Nature: the highest score; ties go by PRIORITY (the labelling guide's decision rules: repeat
  repair and unclear faults over plain quality, parts waits over delay, …). No rule → no
  suggestion.
- Severity: the highest level with any matching rule (critical over major), otherwise ordinary.
- Department: department rules plus a vote from the suggested nature (NATURE_DEPARTMENT, e.g.
  parts_price → parts), highest score wins.

Confidence (“a suggestion that is usually wrong must not be shown as confident”)
-------------------------------------------------------------------------------
A suggestion is only as confident as its *measured* precision for that field and value:

- The shipped calibration (data/calibration.json, written by `complaintdesk triage evaluate
  --write-calibration` from the hand labels) gives per value: precision, the number of
  suggestions it was measured on (`predicted`), and `support` (labelled complaints of that value).
- Live feedback: every recorded intake (TriageRecord) where the filer decided a field says
  whether the suggestion was accepted. When a value has at least LIVE_MIN_DECISIONS (20)
  decisions in the dealer group, they are pooled with the labels:
  precision = (labelled true positives + accepted) / (labelled suggestions + decisions).
- high:   precision ≥ 0.8, measured on ≥ 5 suggestions, support ≥ 5, and a clear margin
          (winning score ≥ 2 and ≥ 1 ahead of the runner-up; for severity: a rule of weight
          ≥ 2, or no severity word at all for “ordinary”);
- medium: precision ≥ 0.6 on ≥ 5 suggestions and no tie;
- low:    anything else — no measurement yet, a usually-wrong value, or a tie. The UI shows it
          as a guess (“low confidence — check”).
"""

from __future__ import annotations

import bisect
import logging
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from complaintdesk.complaints.choices import Nature, Severity
from complaintdesk.org.models import DepartmentKind
from complaintdesk.triage.choices import Confidence, Language, MatchMode, Target

# ---------------------------------------------------------------------------------------------
# Thresholds (see the module docstring).

HIGH_PRECISION = 0.8
MEDIUM_PRECISION = 0.6
MIN_MEASURED = 5  # suggestions a precision must be measured on before it counts
MIN_SUPPORT = 5  # labelled complaints of the value, for "high"
LIVE_MIN_DECISIONS = 20
CLEAR_SCORE = 2.0
CLEAR_LEAD = 1.0
OTHERS_SHARE = 0.25  # share of the non-strongest rules' weights in a score

# Ties between natures: the order in which the labelling guide's decision rules let one nature
# win over another (repeat repair beats quality, parts waits beat delay, sales framing beats a
# defect, the fault beats the attitude).
PRIORITY = [
    Nature.REPEAT_REPAIR,
    Nature.UNCLEAR_QUALITY,
    Nature.PARTS_DELAY,
    Nature.SALES_PROCESS,
    Nature.WORKPLACE_CONDUCT,
    Nature.LABOUR_CHARGE,
    Nature.PARTS_PRICE,
    Nature.QUALITY,
    Nature.DELAY,
    Nature.ATTITUDE,
    Nature.CUSTOMER_ABSENT,
    Nature.CUSTOMER_NO_TIME,
    Nature.OTHER,
]
SEVERITY_ORDER = [Severity.CRITICAL, Severity.MAJOR, Severity.ORDINARY]
DEPARTMENT_PRIORITY = [
    DepartmentKind.SERVICE,
    DepartmentKind.SALES,
    DepartmentKind.PARTS,
    DepartmentKind.BODYSHOP,
    DepartmentKind.FINANCE,
    DepartmentKind.CS_CENTER,
    DepartmentKind.GM_OFFICE,
    DepartmentKind.MANAGEMENT,
]

# The department that usually acts on a nature (SPEC §1 departments; the labelling guide), and
# the weight of that vote. Workplace conduct goes to service unless body/paint words say
# bodyshop (those rules weigh more); attitude only leans to service.
NATURE_DEPARTMENT: dict[str, tuple[str, float]] = {
    Nature.SALES_PROCESS: (DepartmentKind.SALES, 2.5),
    Nature.PARTS_PRICE: (DepartmentKind.PARTS, 2.5),
    Nature.PARTS_DELAY: (DepartmentKind.PARTS, 2.5),
    Nature.LABOUR_CHARGE: (DepartmentKind.SERVICE, 2.0),
    Nature.QUALITY: (DepartmentKind.SERVICE, 2.0),
    Nature.DELAY: (DepartmentKind.SERVICE, 2.0),
    Nature.REPEAT_REPAIR: (DepartmentKind.SERVICE, 2.0),
    Nature.UNCLEAR_QUALITY: (DepartmentKind.SERVICE, 2.0),
    Nature.WORKPLACE_CONDUCT: (DepartmentKind.SERVICE, 2.0),
    Nature.CUSTOMER_ABSENT: (DepartmentKind.SERVICE, 2.0),
    Nature.CUSTOMER_NO_TIME: (DepartmentKind.SERVICE, 2.0),
    Nature.ATTITUDE: (DepartmentKind.SERVICE, 1.0),
}

# ---------------------------------------------------------------------------------------------
# Reading text.

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
EN_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
ASCII_WORD = re.compile(r"[a-z]+")
# Negations, and hedges that make an event hypothetical (可能导致事故, could cause an accident).
NEGATIONS_ZH = (
    "可能",
    "容易",
    "险些",
    "差点",
    "以免",
    "避免",
    "担心",
    "没有人",
    "没有发生",
    "未发生",
    "没发生",
    "未造成",
    "没造成",
    "未出现",
    "没出现",
    "并未",
    "并没有",
    "没有",
    "无人",
    "没人",
    "不是",
    "没",
    "无",
    "未",
    "不",
)
NEGATIONS_EN = frozenset(
    {
        "no",
        "not",
        "never",
        "without",
        "none",
        "nor",
        "nobody",
        "didn't",
        "wasn't",
        "weren't",
        "isn't",
        "don't",
        "doesn't",
        "hasn't",
        "haven't",
        "hadn't",
        "won't",
        "wouldn't",
        "couldn't",
        "can't",
        "cannot",
        "could",
        "might",
        "may",
        "potential",
        "potentially",
        "possible",
        "possibly",
        "avoid",
        "avoided",
        "prevent",
        "almost",
        "nearly",
    }
)
EN_WINDOW = 3
ZH_WINDOW = 4

log = logging.getLogger(__name__)


def language_of(text: str) -> str:
    return Language.ZH if CJK.search(text or "") else Language.EN


def stem(word: str) -> str:
    """A light English stemmer: enough that fail/failed/fails/failing and injury/injuries meet.
    Keywords go through the same function, so it only has to be consistent, not linguistic."""
    if not ASCII_WORD.fullmatch(word):
        return word
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]  # stopp(ed) → stop
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]  # caus(e|ed|es) → caus
    return w


class _Segmenter:
    """jieba, loaded once on first use (about a second), with its log silenced, its dictionary
    cache in our data directory, and the rules' Chinese keywords added as words."""

    def __init__(self):
        self._jieba = None
        self._lock = threading.RLock()
        self._added: set[str] = set()

    @staticmethod
    def cache_dir() -> Path:
        try:
            from django.conf import settings

            path = Path(settings.DATA_DIR) / "jieba"
        except Exception:  # settings not configured: a plain script or a unit test
            path = Path(tempfile.gettempdir()) / "complaintdesk-jieba"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def jieba(self):
        if self._jieba is None:
            with self._lock:
                if self._jieba is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)
                    jieba.dt.tmp_dir = str(self.cache_dir())
                    jieba.initialize()
                    self._jieba = jieba
        return self._jieba

    def add_words(self, words: Iterable[str]) -> None:
        new = [w for w in words if w not in self._added]
        if not new:
            return
        jieba = self.jieba()
        with self._lock:
            for word in new:
                if word not in self._added:
                    # Frequency just high enough that the keyword is not cut apart (jieba's
                    # suggest_freq), so that it segments whole without swallowing longer words.
                    jieba.add_word(word)
                    self._added.add(word)

    def cut(self, text: str) -> list[str]:
        return list(self.jieba().cut(text))


segmenter = _Segmenter()


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # lower-cased surface form
    norm: str  # stemmed English word, else the text
    start: int
    end: int
    after_break: bool = False  # English: punctuation separates it from the word before


BREAK = re.compile(r"[.,;:!?()\[\]\"/]")


def tokenize(text: str, language: str | None = None) -> list[Token]:
    """Chinese through jieba (whitespace dropped), English as words; both lower-cased."""
    text = (text or "").replace("’", "'")
    language = language or language_of(text)
    tokens: list[Token] = []
    if language == Language.ZH:
        pos = 0
        for piece in segmenter.cut(text):
            start, pos = pos, pos + len(piece)
            if not piece.strip():
                continue
            low = piece.lower()
            tokens.append(Token(low, stem(low), start, pos))
    else:
        low = text.lower()
        last = 0
        for m in EN_WORD.finditer(low):
            gap = BREAK.search(low, last, m.start()) is not None
            tokens.append(Token(m.group(), stem(m.group()), m.start(), m.end(), gap))
            last = m.end()
    return tokens


# ---------------------------------------------------------------------------------------------
# Rules and matching.


@dataclass(frozen=True)
class Rule:
    """One keyword rule, as the engine sees it (models.TriageRule is its stored form)."""

    keyword: str
    target: str
    value: str
    weight: float
    language: str = Language.ANY
    match: str = MatchMode.WORD
    id: int | None = None
    builtin: bool = False


@dataclass(frozen=True)
class _Compiled:
    rule: Rule
    cjk: bool
    needle: str  # the lower-cased keyword
    norms: tuple[str, ...]  # English whole-word mode: the stemmed words
    pattern: re.Pattern | None  # English part mode
    negatable: bool


def _starts_negated(needle: str, cjk: bool) -> bool:
    if cjk:
        return needle.startswith(("没", "无", "未", "不", "非"))
    words = EN_WORD.findall(needle)
    return bool(words) and words[0] in NEGATIONS_EN


def compile_rules(rules: Iterable[Rule]) -> list[_Compiled]:
    """Prepare rules for matching; Chinese keywords are added to jieba's dictionary."""
    out = []
    chinese = []
    for rule in rules:
        needle = " ".join(rule.keyword.replace("’", "'").lower().split())
        if not needle:
            continue
        cjk = bool(CJK.search(needle))
        norms: tuple[str, ...] = ()
        pattern = None
        if cjk:
            chinese.append(rule.keyword.strip())
        else:
            words = EN_WORD.findall(needle)
            if not words:
                continue
            norms = tuple(stem(w) for w in words)
            if rule.match == MatchMode.PART:
                pattern = re.compile(
                    r"(?<![a-z0-9])" + r"[\s\-]+".join(re.escape(w) for w in words)
                )
        out.append(_Compiled(rule, cjk, needle, norms, pattern, not _starts_negated(needle, cjk)))
    segmenter.add_words(w for w in chinese if len(w) > 1)
    return out


@dataclass(frozen=True)
class Hit:
    rule: Rule
    found: str  # the words of the text that matched (customer text: render escaped)


class _Text:
    """One text, read once: lower-cased, tokenized, with a char → token index."""

    def __init__(self, text: str):
        self.raw = (text or "").replace("’", "'")
        self.low = self.raw.lower()
        self.language = language_of(self.raw)
        self.tokens = tokenize(self.raw, self.language)
        self.starts = [t.start for t in self.tokens]
        self.at: dict[str, list[int]] = {}  # norm → token positions, for whole-word rules
        for i, tok in enumerate(self.tokens):
            self.at.setdefault(tok.norm, []).append(i)

    def token_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)

    def show(self, start: int, end: int) -> str:
        return self.raw[start:end] if len(self.raw) == len(self.low) else self.low[start:end]

    def negated(self, start: int, token_index: int) -> bool:
        if self.language == Language.ZH:
            before = self.low[max(0, start - ZH_WINDOW) : start]
            return before.endswith(NEGATIONS_ZH)
        window = self.tokens[max(0, token_index - EN_WINDOW) : token_index]
        return any(t.text in NEGATIONS_EN for t in window)


def _find(c: _Compiled, t: _Text) -> tuple[int, int] | None:
    """Where the rule's keyword first occurs un-negated in the text (start, end), or None."""
    tokens = t.tokens
    if c.cjk and c.rule.match == MatchMode.PART:
        pos = t.low.find(c.needle)
        while pos >= 0:
            if not (c.negatable and t.negated(pos, t.token_at(pos))):
                return pos, pos + len(c.needle)
            pos = t.low.find(c.needle, pos + 1)
        return None
    if c.cjk:
        # Whole words: the keyword is exactly a run of consecutive tokens.
        for i in range(len(tokens)):
            acc = ""
            for j in range(i, len(tokens)):
                acc += tokens[j].text
                if not c.needle.startswith(acc):
                    break
                if acc == c.needle:
                    if not (c.negatable and t.negated(tokens[i].start, i)):
                        return tokens[i].start, tokens[j].end
                    break
        return None
    if c.pattern is not None:
        for m in c.pattern.finditer(t.low):
            if not (c.negatable and t.negated(m.start(), t.token_at(m.start()))):
                return m.start(), t.tokens[t.token_at(m.end() - 1)].end
        return None
    n = len(c.norms)
    for i in t.at.get(c.norms[0], ()):
        if i + n > len(tokens):
            break
        # The words in a row, not across a sentence break ("…replaced. The vehicle…").
        if all(tokens[i + k].norm == c.norms[k] for k in range(n)) and not any(
            tokens[i + k].after_break for k in range(1, n)
        ):
            if not (c.negatable and t.negated(tokens[i].start, i)):
                return tokens[i].start, tokens[i + n - 1].end
    return None


def match(rules: list[_Compiled], text: str) -> tuple[str, list[Hit]]:
    """The text's language and the rules that match it. Each rule counts once; where rules for
    the same target and value match overlapping words (多次 inside 多次维修, stall and stalled on
    one word), only the strongest counts, so that the same words are not evidence twice."""
    t = _Text(text)
    found = []
    for c in rules:
        if c.rule.language not in (Language.ANY, t.language):
            continue
        span = _find(c, t)
        if span is not None:
            found.append((c.rule, span))
    found.sort(key=lambda rs: (-float(rs[0].weight), rs[1][0] - rs[1][1]))
    kept: list[tuple[Rule, tuple[int, int]]] = []
    for rule, (start, end) in found:
        if any(
            r.target == rule.target and r.value == rule.value and start < e and s < end
            for r, (s, e) in kept
        ):
            continue
        kept.append((rule, (start, end)))
    kept.sort(key=lambda rs: rs[1])
    return t.language, [Hit(rule, t.show(s, e)) for rule, (s, e) in kept]


# ---------------------------------------------------------------------------------------------
# Calibration.


@dataclass(frozen=True)
class Estimate:
    precision: float
    measured_on: int  # suggestions the precision was measured on
    support: int  # complaints that truly had the value (labels + accepted live decisions)
    basis: str  # "labels", "live" or "labels+live"


@dataclass
class Calibration:
    """Measured precision per field and value: the shipped one (from the hand labels) and the
    live decisions of one dealer group. See the module docstring for how they combine."""

    shipped: Mapping[str, Mapping[str, Mapping]] = field(default_factory=dict)
    live: Mapping[str, Mapping[str, tuple[int, int]]] = field(default_factory=dict)
    min_live: int = LIVE_MIN_DECISIONS

    def estimate(self, target: str, value: str) -> Estimate | None:
        s = self.shipped.get(target, {}).get(value) or {}
        decided, accepted = self.live.get(target, {}).get(value, (0, 0))
        tp = int(s.get("tp", 0))
        predicted = int(s.get("predicted", 0))
        support = int(s.get("support", 0))
        if decided >= self.min_live:
            n = predicted + decided
            return Estimate(
                (tp + accepted) / n, n, support + accepted, "labels+live" if predicted else "live"
            )
        if predicted:
            return Estimate(tp / predicted, predicted, support, "labels")
        return None


def confidence_level(estimate: Estimate | None, *, clear: bool, tie: bool) -> str:
    """The rule of the module docstring, in one place."""
    if estimate is None or estimate.measured_on < MIN_MEASURED:
        return Confidence.LOW
    if (
        estimate.precision >= HIGH_PRECISION
        and estimate.support >= MIN_SUPPORT
        and clear
        and not tie
    ):
        return Confidence.HIGH
    if estimate.precision >= MEDIUM_PRECISION and not tie:
        return Confidence.MEDIUM
    return Confidence.LOW


# ---------------------------------------------------------------------------------------------
# Scoring.


@dataclass
class Reason:
    value: str
    weight: float
    keyword: str = ""
    found: str = ""
    rule: int | None = None
    builtin: bool = False
    from_nature: str = ""  # a department vote that comes from the suggested nature

    def as_dict(self) -> dict:
        d = {"value": self.value, "weight": self.weight}
        if self.from_nature:
            d["from_nature"] = self.from_nature
        else:
            d.update(keyword=self.keyword, found=self.found, rule=self.rule, builtin=self.builtin)
        return d


@dataclass
class FieldSuggestion:
    value: str = ""  # "" = no suggestion
    score: float = 0.0
    runner_up: str = ""
    runner_up_score: float = 0.0
    clear: bool = False
    tie: bool = False
    confidence: str = Confidence.NONE
    estimate: Estimate | None = None
    reasons: list[Reason] = field(default_factory=list)  # of the suggested value first

    def as_dict(self) -> dict:
        e = self.estimate
        return {
            "value": self.value,
            "score": round(self.score, 3),
            "runner_up": self.runner_up,
            "runner_up_score": round(self.runner_up_score, 3),
            "confidence": self.confidence,
            "precision": round(e.precision, 3) if e else None,
            "measured_on": e.measured_on if e else 0,
            "basis": e.basis if e else "",
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass
class Suggestion:
    language: str
    nature: FieldSuggestion
    severity: FieldSuggestion
    department: FieldSuggestion

    def field(self, target: str) -> FieldSuggestion:
        return getattr(self, target)

    def as_dict(self) -> dict:
        return {
            "language": self.language,
            "nature": self.nature.as_dict(),
            "severity": self.severity.as_dict(),
            "department": self.department.as_dict(),
        }


def _score(weights: list[float]) -> float:
    top = max(weights)
    return top + OTHERS_SHARE * (sum(weights) - top)


def _reasons(hits: list[Hit]) -> list[Reason]:
    return [
        Reason(
            value=h.rule.value,
            weight=float(h.rule.weight),
            keyword=h.rule.keyword,
            found=h.found,
            rule=h.rule.id,
            builtin=h.rule.builtin,
        )
        for h in sorted(hits, key=lambda h: -float(h.rule.weight))
    ]


def _argmax(by_value: dict[str, list[float]], priority: list[str]) -> FieldSuggestion:
    if not by_value:
        return FieldSuggestion()
    rank = {v: i for i, v in enumerate(priority)}
    scored = sorted(
        ((_score(w), v) for v, w in by_value.items()),
        key=lambda sv: (-sv[0], rank.get(sv[1], len(rank))),
    )
    top, value = scored[0]
    second, runner = scored[1] if len(scored) > 1 else (0.0, "")
    return FieldSuggestion(
        value=str(value),
        score=top,
        runner_up=str(runner),
        runner_up_score=second,
        clear=top >= CLEAR_SCORE and top - second >= CLEAR_LEAD,
        tie=bool(runner) and abs(top - second) < 1e-9,
    )


def _by_value(hits: list[Hit], target: str) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for h in hits:
        if h.rule.target == target:
            out.setdefault(h.rule.value, []).append(float(h.rule.weight))
    return out


def _ordered_reasons(hits: list[Hit], target: str, value: str) -> list[Reason]:
    mine = [h for h in hits if h.rule.target == target]
    return _reasons([h for h in mine if h.rule.value == value]) + _reasons(
        [h for h in mine if h.rule.value != value]
    )


def suggest(
    texts: Iterable[str],
    rules: list[_Compiled],
    calibration: Calibration | None = None,
) -> Suggestion:
    """Suggest nature, severity and department for the texts (summary, description, …)."""
    text = "\n".join(t for t in texts if t)
    language, hits = match(rules, text)

    nature = _argmax(_by_value(hits, Target.NATURE), PRIORITY)
    nature.reasons = _ordered_reasons(hits, Target.NATURE, nature.value)

    sev_hits = _by_value(hits, Target.SEVERITY)
    severity = FieldSuggestion(value=str(Severity.ORDINARY), clear=True)
    levels = [lv for lv in SEVERITY_ORDER if lv in sev_hits]
    if levels:
        severity.value = str(levels[0])
        severity.score = _score(sev_hits[levels[0]])
        severity.clear = max(sev_hits[levels[0]]) >= CLEAR_SCORE
        if len(levels) > 1:
            severity.runner_up = str(levels[1])
            severity.runner_up_score = _score(sev_hits[levels[1]])
    severity.reasons = _ordered_reasons(hits, Target.SEVERITY, severity.value)

    dept_votes = _by_value(hits, Target.DEPARTMENT)
    fallback = NATURE_DEPARTMENT.get(nature.value)
    if fallback:
        dept_votes.setdefault(str(fallback[0]), []).append(fallback[1])
    department = _argmax(dept_votes, DEPARTMENT_PRIORITY)
    reasons = _reasons([h for h in hits if h.rule.target == Target.DEPARTMENT])
    if fallback:
        reasons.append(Reason(value=str(fallback[0]), weight=fallback[1], from_nature=nature.value))
    # The suggested value's reasons first, strongest first; sorted() keeps the order otherwise.
    department.reasons = sorted(reasons, key=lambda r: (r.value != department.value, -r.weight))

    suggestion = Suggestion(str(language), nature, severity, department)
    for target in Target.values:
        f = suggestion.field(target)
        if f.value:
            f.estimate = calibration.estimate(target, f.value) if calibration else None
            f.confidence = confidence_level(f.estimate, clear=f.clear, tie=f.tie)
    return suggestion
