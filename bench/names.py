"""Names and places for seeded data: plausible, Japanese, and plainly made up."""

from __future__ import annotations

import random
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")

FAMILY = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
          "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "元田")  # fmt: skip
GIVEN = ("花子", "陽子", "美咲", "結衣", "さくら", "恵", "直美", "翔太", "健太", "大輔",
         "愛", "真由美", "裕子", "彩", "優子", "拓也", "亮", "舞", "香織", "千尋")  # fmt: skip
REGIONS = (
    ("鹿児島県", "奄美市"), ("栃木県", "足利市"), ("北海道", "帯広市"), ("岩手県", "遠野市"),
    ("新潟県", "佐渡市"), ("長野県", "飯田市"), ("島根県", "隠岐の島町"), ("高知県", "四万十市"),
    ("熊本県", "天草市"), ("沖縄県", "宮古島市"), ("徳島県", "神山町"), ("山形県", "鶴岡市"),
)  # fmt: skip
TEAM_WORDS = ("ライターズ", "デザイン工房", "翻訳チーム", "ワークス", "編集室")
CLIENTS = ("株式会社みなみ出版", "しま観光協会", "合同会社ことば", "旅の窓口社", "やまびこ商店")
TOPICS = ("観光ガイド", "島の食材", "子育て", "介護", "移住", "地元の祭り", "手仕事", "農業")
SKILLS = ["web-writing", "seo", "proposals", "proofreading", "design", "translation", "photo"]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
