"""Checks on team data shared by forms and services."""

from __future__ import annotations

import re
import unicodedata

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$")
RESERVED_SLUGS = frozenset(
    {"new", "admin", "api", "static", "login", "logout", "signup", "settings", "teams", "t"}
)
INVOICE_RE = re.compile(r"^T\d{13}$")


def normalise_invoice_number(value: str) -> str:
    """Fold full-width characters and spaces: 'Ｔ１２３４ ５６７８…' → 'T12345678…'."""
    folded = unicodedata.normalize("NFKC", value or "").upper()
    return re.sub(r"[\s-]", "", folded)


def is_valid_invoice_number(value: str) -> bool:
    """Tell whether ``value`` is a qualified invoice issuer number: T + 13 digits."""
    return bool(INVOICE_RE.match(value))


def is_valid_slug(value: str) -> bool:
    return bool(SLUG_RE.match(value)) and value not in RESERVED_SLUGS
