"""The scam guard, phrase by phrase: every alternative of every phrase is caught on its own, in
half- and full-width, and the ordinary words next to each phrase are not.

The examples are written here, apart from the table in ``teamhub.jobs.scam``, so that dropping an
alternative or a phrase from the table, or widening one, fails a test (``make mutate`` checks it).
"""

from __future__ import annotations

import pytest

from teamhub.jobs import scam

# phrase → (a sentence with a {slot} for each slot, {slot: one example per alternative, in the
# table's order}); the other slots take their first example.
POSITIVE = {
    "line_id": ("やり取りはLINE{after}。", {"after": ["ID", "@", "で", "に", "の", "へ", "登録", "追加", "交換"]}),
    "line_katakana": ("連絡はライン{after}。", {"after": ["ID", "で", "に", "の", "へ", "登録", "追加", "交換"]}),
    "line_friend": ("Use LINE to {verb} us.", {"verb": ["add", "contact", "friend"]}),
    "add_me_on_app": (
        "Please {verb} {who} on {app} for the details.",
        {"verb": ["add", "contact"], "who": ["me", "us"],
         "app": ["LINE", "WhatsApp", "Telegram", "Kakao"]},
    ),
    "personal_email_address": (
        "Send drafts to taro.yamada@{domain}.com",
        {"domain": ["gmail", "yahoo", "hotmail", "outlook", "icloud", "docomo", "ezweb", "softbank"]},
    ),
    "personal_email_en": ("Send the files to my {whose} email.", {"whose": ["personal", "private", "direct"]}),
    "personal_contact_ja": (
        "{whose}{what}を教えてください。",
        {"whose": ["個人の", "直接"], "what": ["メール", "メアド", "連絡先"]},
    ),
    "mobile_number": ("電話は{number}まで。", {"number": ["090-1234-5678"]}),
    "phone_number_ja": (
        "{what}{particle}お知らせください。",
        {"what": ["電話番号", "携帯番号"], "particle": ["を", "に", "まで"]},
    ),
    "messaging_app": (
        "連絡は{app}で行います。",
        {"app": ["チャットワーク", "Chatwork", "Skype", "Telegram", "WhatsApp", "カカオ"]},
    ),
    "off_platform_ja": (
        "{where}でお願いします。",
        {"where": ["サイト外", "プラットフォーム外", "直接取引", "直接契約", "外部で連絡"]},
    ),
    "off_platform_en": ("Let's continue {where} the platform.", {"where": ["outside", "off"]}),
    "personal_data_ja": (
        "{what}を送ってください。",
        {"what": ["住所", "生年月日", "免許証", "保険証", "身分証", "マイナンバー", "個人番号",
                  "口座番号", "暗証番号", "顔写真"]},
    ),
    "personal_data_en": (
        "Send us your {what} before starting.",
        {"what": ["home address", "date of birth", "ID card", "driver's license", "bank account",
                  "passport", "My Number", "social security"]},
    ),
    "upfront_fee_ja": (
        "開始前に{what}が必要です。",
        {"what": ["登録料", "初期費用", "保証金", "教材費", "入会金", "研修費", "受講料",
                  "手数料をお支払", "先にお支払", "前払い"]},
    ),
    "upfront_fee_en": (
        "A {kind} {what} is required.",
        {"kind": ["registration", "joining", "starter", "training", "upfront", "up-front", "advance"],
         "what": ["fee", "payment", "cost"]},
    ),
    "pay_a_fee": ("You must pay a {what} first.", {"what": ["fee", "deposit"]}),
    "deposit": ("A {word} is required.", {"word": ["deposit"]}),
}  # fmt: skip

# The other spellings each phrase allows (optional letters, spaces, digits).
VARIANTS = {
    "line_id": ["LINE ID", "line id"],
    "personal_email_en": ["my private e-mail"],
    "personal_contact_ja": ["個人メールで"],
    "mobile_number": ["080 1234 5678", "07012345678"],
    "off_platform_en": ["off platform"],
    "personal_data_en": ["drivers licence", "Home  Address"],
    "upfront_fee_ja": ["手数料支払", "先に支払"],
    "pay_a_fee": ["pay the deposit", "pay fee"],
}

# Ordinary job text next to each phrase: none of it is flagged. Each line stands where a phrase
# would go too far: a widened alternative (any word in its place) or a guard dropped.
NEGATIVE = [
    "Each line must be under 40 characters.",  # line_id, line_friend: any word after "line"
    "打ち合わせはonlineで行います。",  # line_id without (?<![a-z])
    "商品ラインナップの紹介記事です。",  # line_katakana: any word after ライン
    "Write an online guide; add photos.",  # line_friend without (?<![a-z])
    "Keep lines short and add headings.",  # line_friend without (?![a-z])
    "Please show me on line 3 of the draft which word to fix.",  # add_me_on_app: any verb
    "Please add comments on line 3 of the draft.",  # add_me_on_app: anyone
    "Contact us on Monday if anything is unclear.",  # add_me_on_app: any app
    "質問は support@lancers.jp へ送ってください。",  # personal_email_address: any domain
    "Reply by email within two days.",  # personal_email_en: anyone's email
    "クライアントの連絡先は不要です。",  # personal_contact_ja: anyone's contact
    "個人のブログ向けの記事です。",  # personal_contact_ja: anything personal
    "電話番号は不要です。",  # phone_number_ja: any particle
    "記事を書いてください。",  # phone_number_ja: anything before を
    "Deliver through the platform.",  # off_platform_en: anywhere on the platform
    "The platform fee is paid by the client.",  # upfront_fee_en: any fee
    "Training materials are provided.",  # upfront_fee_en: anything about training
    "We pay within 30 days of delivery.",  # pay_a_fee: paying anything
    "The client's payment is deposited in escrow.",  # deposit without its closing \b
    "The platform may redeposit unused escrow.",  # deposit without its opening \b
    "奄美大島の観光スポットを紹介する記事、3,000字。",
    "SEO articles about online learning, 3,000 characters each.",
]

FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)} | {" ": "\u3000"}


def full_width(text: str) -> str:
    """The text as a Japanese keyboard may type it: letters, digits and signs full-width."""
    return "".join(FULL_WIDTH.get(c, c) for c in text)


def examples() -> list[tuple[str, str, str]]:
    """(phrase, slot = example, sentence): each alternative in its phrase's sentence."""
    cases = []
    for name, (sentence, slots) in POSITIVE.items():
        first = {slot: words[0] for slot, words in slots.items()}
        for slot, words in slots.items():
            for word in words:
                cases.append((name, f"{slot}={word}", sentence.format(**{**first, slot: word})))
    for name, variants in VARIANTS.items():
        cases += [(name, f"variant {v}", v) for v in variants]
    return cases


EXAMPLES = examples()
OFFSITE = ("line_id", "line_katakana", "line_friend", "add_me_on_app", "personal_email_address",
           "personal_email_en", "personal_contact_ja", "mobile_number", "phone_number_ja",
           "messaging_app", "off_platform_ja", "off_platform_en")  # fmt: skip
REASON = (
    dict.fromkeys(OFFSITE, "offsite_contact")
    | dict.fromkeys(("personal_data_ja", "personal_data_en"), "personal_info")
    | dict.fromkeys(("upfront_fee_ja", "upfront_fee_en", "pay_a_fee", "deposit"), "upfront_fee")
)


def test_every_alternative_of_every_phrase_has_an_example():
    """A phrase added to the table, or an alternative, needs its example here."""
    assert set(POSITIVE) == set(REASON) == {phrase.name for phrase in scam.PHRASES}
    for phrase in scam.PHRASES:
        assert phrase.reason == REASON[phrase.name]
        _sentence, slots = POSITIVE[phrase.name]
        expected = {slot: len(alternatives) for slot, alternatives in phrase.slots.items()}
        assert {slot: len(words) for slot, words in slots.items()} == (expected or {
            next(iter(slots)): 1
        }), phrase.name  # fmt: skip


@pytest.mark.parametrize(
    ("name", "case", "text"), EXAMPLES, ids=[f"{n}:{c}" for n, c, _ in EXAMPLES]
)
def test_each_alternative_is_caught_by_its_phrase(name, case, text):
    assert scam.phrase_match(name, text)
    assert scam.phrase_match(name, full_width(text)), "full-width (NFKC)"
    assert scam.phrase_match(name, text.upper()) and scam.phrase_match(name, text.lower())
    codes = [reason.code for reason in scam.scan(text)]
    assert REASON[name] in codes
    assert REASON[name] in [reason.code for reason in scam.scan(full_width(text))]


@pytest.mark.parametrize("text", NEGATIVE)
def test_ordinary_words_beside_the_phrases_are_not_flagged(text):
    assert scam.scan(text) == []
    assert scam.scan(full_width(text)) == []
    assert [scam.phrase_match(name, text) for name in REASON] == [None] * len(REASON)


def test_half_width_katakana_is_caught_as_katakana():
    assert [r.code for r in scam.scan("連絡はﾗｲﾝでお願いします")] == ["offsite_contact"]
    assert scam.phrase_match("messaging_app", "ﾁｬｯﾄﾜｰｸで連絡") == "チャットワーク"


def test_one_reason_per_kind_with_the_words_of_the_first_phrase_that_matched():
    text = "ＬＩＮＥ ＩＤを教えて。住所と口座番号も。登録料 ５０００円を先にお支払いください。"
    assert [(r.code, r.matched) for r in scam.scan(text)] == [
        ("offsite_contact", "LINE ID"),
        ("personal_info", "住所"),
        ("upfront_fee", "登録料"),
    ]
    assert [r.label for r in scam.scan("skype")] == ["asks for contact outside the platform"]
    assert scam.scan("") == [] and scam.scan(None) == []


def test_reasons_are_stored_and_read_back():
    reasons = scam.scan("LINEで連絡、住所も")
    stored = scam.to_json(reasons)
    assert stored == [
        {"code": "offsite_contact", "matched": "LINEで"},
        {"code": "personal_info", "matched": "住所"},
    ]
    assert scam.from_json(stored) == reasons
    assert scam.from_json(None) == []
