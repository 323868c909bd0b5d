"""Skills a person holds: granted by training, or declared by the person."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamhub.clock import UTCDateTime, utcnow
from teamhub.extensions import db
from teamhub.labels import label, register

# The skills teamhub knows; training modules grant them, assignments may require them.
SKILL_LABELS = register(
    "skill",
    {
        "web-writing": _l("Web writing"),
        "seo": _l("SEO"),
        "proposals": _l("Proposals"),
        "proofreading": _l("Proofreading"),
        "design": _l("Design"),
        "illustration": _l("Illustration"),
        "translation": _l("Translation"),
        "photo": _l("Photography"),
        "programming": _l("Programming"),
        "data-entry": _l("Data entry"),
    },
)

SKILL_SOURCES = ("declared", "training")


class PersonSkill(db.Model):
    __tablename__ = "person_skill"
    __table_args__ = (sa.UniqueConstraint("person_id", "skill", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    skill: Mapped[str] = mapped_column(sa.String(40))
    source: Mapped[str] = mapped_column(sa.String(20), default="declared")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person = relationship("Person", back_populates="skills")

    @property
    def label(self) -> str:
        return skill_label(self.skill)


def skill_label(code: str) -> str:
    """Return the translated name of a skill code."""
    return label("skill", code)


def set_declared_skills(person, codes: list[str]) -> None:
    """Replace the skills a person declares; skills granted by training stay."""
    wanted = {code for code in codes if code in SKILL_LABELS}
    for held in list(person.skills):
        if held.source == "declared" and held.skill not in wanted:
            person.skills.remove(held)
    have = {s.skill for s in person.skills if s.source == "declared"}
    for code in sorted(wanted - have):
        person.skills.append(PersonSkill(skill=code, source="declared"))
    db.session.flush()
