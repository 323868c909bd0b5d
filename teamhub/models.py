"""Every mapped class of teamhub, imported together.

Models name each other by string across packages (``relationship("Job")``), so a mapper can only
be configured once every class it names is known. The package imports this module first
(``teamhub/__init__.py``), so a statement built when its module is imported, which configures the
mappers, finds them all, whichever feature is imported first.
"""

from teamhub import skills, submissions
from teamhub.assignments import models as assignments
from teamhub.auth import models as auth
from teamhub.auth import tokens as auth_tokens
from teamhub.jobs import models as jobs
from teamhub.notifications import models as notifications
from teamhub.payouts import models as payouts
from teamhub.scheduler import models as scheduler
from teamhub.teams import models as teams
from teamhub.training import models as training

__all__ = [
    "assignments",
    "auth",
    "auth_tokens",
    "jobs",
    "notifications",
    "payouts",
    "scheduler",
    "skills",
    "submissions",
    "teams",
    "training",
]
