"""Scam guard: phrases in a job description that crowdsourcing scams use.

Lancers and CrowdWorks both forbid moving contact off the platform, asking for personal data, and
charging workers up front; descriptions that do are flagged until the director acknowledges them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

REASON_LABELS = {
    "offsite_contact": _l("asks for contact outside the platform"),
    "personal_info": _l("asks for personal information"),
    "upfront_fee": _l("asks the worker to pay up front"),
}

_PATTERNS = {
    "offsite_contact": [
        r"(?<![a-z])line\s*(?:id|@|で|に|の|へ|登録|追加|交換)",
        r"ライン(?:id|で|に|の|へ|登録|追加|交換)",
        r"(?<![a-z])line(?![a-z]).{0,12}(?:add|contact|friend)",
        r"(?:add|contact)\s+(?:me|us)\s+on\s+(?:line|whatsapp|telegram|kakao)",
        r"[\w.+-]+@(?:gmail|yahoo|hotmail|outlook|icloud|docomo|ezweb|softbank)\.[\w.]+",
        r"(?:personal|private|direct)\s+e-?mail",
        r"(?:個人の?|直接)(?:メール|メアド|連絡先)",
        r"0[789]0[-\s]?\d{4}[-\s]?\d{4}",
        r"(?:電話番号|携帯番号)(?:を|に|まで)",
        r"(?:チャットワーク|chatwork|skype|telegram|whatsapp|カカオ)",
        r"(?:サイト外|プラットフォーム外|直接取引|直接契約|外部で連絡)",
        r"(?:outside|off)\s+(?:the\s+)?platform",
    ],
    "personal_info": [
        r"(?:住所|生年月日|免許証|保険証|身分証|マイナンバー|個人番号|口座番号|暗証番号|顔写真)",
        r"(?:home\s+address|date\s+of\s+birth|id\s+card|driver'?s\s+licen[cs]e|bank\s+account|"
        r"passport|my\s+number|social\s+security)",
    ],
    "upfront_fee": [
        r"(?:登録料|初期費用|保証金|教材費|入会金|研修費|受講料|手数料を?お?支払|先にお?支払|前払い)",
        r"(?:registration|joining|starter|training|upfront|up-front|advance)\s+(?:fee|payment|cost)",
        r"pay\s+(?:a\s+|the\s+)?(?:fee|deposit)",
        r"\bdeposit\b",
    ],
}
_COMPILED = {
    code: [re.compile(p, re.IGNORECASE) for p in patterns] for code, patterns in _PATTERNS.items()
}


@dataclass(frozen=True)
class ScamReason:
    code: str
    matched: str

    @property
    def label(self) -> str:
        return str(REASON_LABELS[self.code])


def scan(text: str) -> list[ScamReason]:
    """Return one reason per kind of scam phrase found in ``text``, with the words that matched."""
    folded = unicodedata.normalize("NFKC", text or "")
    reasons = []
    for code, patterns in _COMPILED.items():
        for pattern in patterns:
            match = pattern.search(folded)
            if match:
                reasons.append(ScamReason(code, match.group(0).strip()))
                break
    return reasons


def to_json(reasons: list[ScamReason]) -> list[dict]:
    return [{"code": r.code, "matched": r.matched} for r in reasons]


def from_json(stored: list[dict]) -> list[ScamReason]:
    return [ScamReason(item["code"], item["matched"]) for item in stored or []]
