"""What happens in teamhub that others may want to hear of: features send these signals where
the thing happens (in the one service that does it); listeners (notifications) connect to them.
A feature never imports its listeners, so dependencies run one way.

Each signal's sender is the record it is about; keyword arguments carry the rest.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# An assignment was offered to a member (sender: the Assignment).
assignment_offered = _signals.signal("assignment-offered")
# The client's payment for a job is confirmed in escrow (sender: the Job).
escrow_confirmed = _signals.signal("escrow-confirmed")
# A member delivered work (sender: the Assignment; ``submission``).
work_submitted = _signals.signal("work-submitted")
# A reviewer approved work or asked for changes (sender: the Assignment; ``event``, ``approved``).
work_reviewed = _signals.signal("work-reviewed")
# A payout close was posted (sender: the PayoutClose).
close_confirmed = _signals.signal("close-confirmed")
# The scheduler made a team's close, for its directors to review (sender: the PayoutClose).
close_ready = _signals.signal("close-ready")
# The scheduler could not make a team's close (sender: the Team; ``period_end``, ``reason``).
close_refused = _signals.signal("close-refused")

# Training ------------------------------------------------------------------------------------
# A trainee handed in a try at a practice task, for a coordinator or mentor to review (sender: the
# PracticeSubmission).
practice_submitted = _signals.signal("practice-submitted")
# A coordinator or mentor passed a try at a practice task or asked for another (sender: the
# PracticeSubmission; ``passed``).
practice_reviewed = _signals.signal("practice-reviewed")
# A trainee completed a module (sender: the ModuleCompletion; ``enrolment``).
module_completed = _signals.signal("module-completed")
# A trainee completed the whole curriculum and has a certificate (sender: the Enrolment).
training_completed = _signals.signal("training-completed")
# A graduate was recommended to a team (sender: the Recommendation).
graduate_recommended = _signals.signal("graduate-recommended")
# The operator gave a person a role in an organisation (sender: the OrganisationMembership).
staff_appointed = _signals.signal("staff-appointed")
# A person took a place in a cohort, enrolled by a coordinator or through the application link
# (sender: the Enrolment; ``via``).
enrolled = _signals.signal("enrolled")
# A coordinator added a session to a cohort's schedule, or took one off it (sender: the
# CohortSession, still readable when taken off).
session_scheduled = _signals.signal("session-scheduled")
session_cancelled = _signals.signal("session-cancelled")


def notices_sent(results: list[tuple[object, object]]) -> int:
    """How many notices the listeners of a ``send`` said they sent (the scheduler's counts)."""
    return sum(value for _listener, value in results if isinstance(value, int))
