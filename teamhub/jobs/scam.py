"""Scam guard: phrases in a job description that crowdsourcing scams use.

Lancers and CrowdWorks both forbid moving contact off the platform, asking for personal data, and
charging workers up front; descriptions that do are flagged until the director acknowledges them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

REASON_LABELS = {
    "offsite_contact": _l("asks for contact outside the platform"),
    "personal_info": _l("asks for personal information"),
    "upfront_fee": _l("asks the worker to pay up front"),
}

# Where a phrase's alternatives go in its template: {name} (letters only, so a regex's own
# counts such as \d{4} or .{0,12} stay as they are).
_SLOT = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Phrase:
    """One kind of scam phrase: a regular expression (``template``) in which each ``{slot}``
    stands for one of the slot's alternatives. Matched case-insensitively on NFKC-folded text, so
    full-width ``ＬＩＮＥ`` or ``０９０`` are caught as their half-width forms are."""

    name: str
    reason: str
    template: str
    slots: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def regex(self) -> str:
        return _SLOT.sub(lambda slot: "(?:" + "|".join(self.slots[slot[1]]) + ")", self.template)


_LINE_AFTER = ("id", "@", "で", "に", "の", "へ", "登録", "追加", "交換")

# Each phrase is tried in this order; the first that matches gives its reason's matched words.
# fmt: off
PHRASES = (
    # Contact outside the platform.
    Phrase("line_id", "offsite_contact", r"(?<![a-z])line\s*{after}", {"after": _LINE_AFTER}),
    Phrase("line_katakana", "offsite_contact", r"ライン{after}",
           {"after": tuple(a for a in _LINE_AFTER if a != "@")}),
    Phrase("line_friend", "offsite_contact", r"(?<![a-z])line(?![a-z]).{0,12}{verb}",
           {"verb": ("add", "contact", "friend")}),
    Phrase("add_me_on_app", "offsite_contact", r"{verb}\s+{who}\s+on\s+{app}",
           {"verb": ("add", "contact"), "who": ("me", "us"),
            "app": ("line", "whatsapp", "telegram", "kakao")}),
    Phrase("personal_email_address", "offsite_contact", r"[\w.+-]+@{domain}\.[\w.]+",
           {"domain": ("gmail", "yahoo", "hotmail", "outlook", "icloud", "docomo", "ezweb",
                       "softbank")}),
    Phrase("personal_email_en", "offsite_contact", r"{whose}\s+e-?mail",
           {"whose": ("personal", "private", "direct")}),
    Phrase("personal_contact_ja", "offsite_contact", r"{whose}{what}",
           {"whose": ("個人の?", "直接"), "what": ("メール", "メアド", "連絡先")}),
    Phrase("mobile_number", "offsite_contact", r"0[789]0[-\s]?\d{4}[-\s]?\d{4}"),
    Phrase("phone_number_ja", "offsite_contact", r"{what}{particle}",
           {"what": ("電話番号", "携帯番号"), "particle": ("を", "に", "まで")}),
    Phrase("messaging_app", "offsite_contact", r"{app}",
           {"app": ("チャットワーク", "chatwork", "skype", "telegram", "whatsapp", "カカオ")}),
    Phrase("off_platform_ja", "offsite_contact", r"{where}",
           {"where": ("サイト外", "プラットフォーム外", "直接取引", "直接契約", "外部で連絡")}),
    Phrase("off_platform_en", "offsite_contact", r"{where}\s+(?:the\s+)?platform",
           {"where": ("outside", "off")}),
    # Personal data.
    Phrase("personal_data_ja", "personal_info", r"{what}",
           {"what": ("住所", "生年月日", "免許証", "保険証", "身分証", "マイナンバー", "個人番号",
                     "口座番号", "暗証番号", "顔写真")}),
    Phrase("personal_data_en", "personal_info", r"{what}",
           {"what": (r"home\s+address", r"date\s+of\s+birth", r"id\s+card",
                     r"driver'?s\s+licen[cs]e", r"bank\s+account", "passport", r"my\s+number",
                     r"social\s+security")}),
    # Money asked of the worker up front.
    Phrase("upfront_fee_ja", "upfront_fee", r"{what}",
           {"what": ("登録料", "初期費用", "保証金", "教材費", "入会金", "研修費", "受講料",
                     "手数料を?お?支払", "先にお?支払", "前払い")}),
    Phrase("upfront_fee_en", "upfront_fee", r"{kind}\s+{what}",
           {"kind": ("registration", "joining", "starter", "training", "upfront", "up-front",
                     "advance"),
            "what": ("fee", "payment", "cost")}),
    Phrase("pay_a_fee", "upfront_fee", r"pay\s+(?:a\s+|the\s+)?{what}",
           {"what": ("fee", "deposit")}),
    Phrase("deposit", "upfront_fee", r"\bdeposit\b"),
)
# fmt: on


def _pattern(phrase: Phrase) -> re.Pattern[str]:
    """The phrase's regular expression, compiled (once: ``re`` keeps what it compiled)."""
    return re.compile(phrase.regex(), re.IGNORECASE)


@dataclass(frozen=True)
class ScamReason:
    code: str
    matched: str

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self.code])


def _fold(text: str | None) -> str:
    """Full-width letters and digits as half-width ones (NFKC), the way the phrases are written."""
    return unicodedata.normalize("NFKC", text or "")


def scan(text: str) -> list[ScamReason]:
    """Return one reason per kind of scam phrase found in ``text``, with the words that matched."""
    folded = _fold(text)
    reasons: dict[str, ScamReason] = {}
    for phrase in PHRASES:
        if phrase.reason in reasons:
            continue
        if match := _pattern(phrase).search(folded):
            reasons[phrase.reason] = ScamReason(phrase.reason, match.group(0).strip())
    return list(reasons.values())


def phrase_match(name: str, text: str) -> str | None:
    """The words of ``text`` that the one phrase ``name`` matches, if any."""
    [phrase] = [p for p in PHRASES if p.name == name]
    match = _pattern(phrase).search(_fold(text))
    return match.group(0) if match else None


def to_json(reasons: list[ScamReason]) -> list[dict]:
    return [{"code": r.code, "matched": r.matched} for r in reasons]


def from_json(stored: list[dict]) -> list[ScamReason]:
    return [ScamReason(item["code"], item["matched"]) for item in stored or []]
