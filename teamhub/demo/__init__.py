"""Demo data: a living Amami writers' team, a small Ashikaga team, an NPO's training and
three months of payouts, all made through the real services."""

from __future__ import annotations

import random

from teamhub.auth.passwords import hash_password
from teamhub.demo import teams
from teamhub.demo.payouts import load_payouts_demo
from teamhub.demo.training import load_training_demo
from teamhub.extensions import db

DEMO_PASSWORD = "amami-demo-2026"


def load_demo() -> list[tuple[str, str]]:
    """Add the demo teams and people; return (who, email) pairs for the README and the console."""
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)
    operator = teams.new_person("operator@teamhub.example", "teamhub 運営者", password_hash)
    operator.is_operator = True
    logins = [("運営者 (operator)", operator.email)]
    logins += teams.amami(password_hash, rng)
    logins += teams.ashikaga(password_hash, rng)
    db.session.flush()
    logins += load_training_demo(password_hash)
    load_payouts_demo()
    return logins
