"""How much data each benchmark database holds."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Bumped whenever the seeded shape changes, so an older seeded database is rebuilt.
# 4: absences; 5: the big month wholly paid in on any day; 6: attendance counts; 7: terms notices
# built by the app's own builder (teamhub.assignments.terms.build_terms)
SEED_VERSION = "7"


@dataclass(frozen=True)
class Scale:
    name: str
    teams: int
    people: int
    assignments: int
    cohorts: int
    trainees: int

    @property
    def big_team_assignments(self) -> int:
        """Approved assignments in the one month the close timing closes (a tenth of all)."""
        return self.assignments // 10

    @property
    def big_team_people(self) -> int:
        return max(50, self.people // 100)

    def key(self, schema_head: str) -> dict:
        return {**asdict(self), "seed_version": SEED_VERSION, "schema_head": schema_head}


NATIONAL = Scale("national", teams=2_000, people=50_000, assignments=1_000_000, cohorts=200,
                 trainees=10_000)  # fmt: skip
REGIONAL = Scale("regional", teams=200, people=5_000, assignments=100_000, cohorts=20,
                 trainees=1_000)  # fmt: skip
SMALL = Scale("small", teams=3, people=150, assignments=1_000, cohorts=1, trainees=50)
