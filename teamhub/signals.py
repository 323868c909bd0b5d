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
