"""Scheduled work: the tasks features list in their ``tasks.py``, run by one process.

Only ``flask --app teamhub scheduler`` starts a scheduler; web workers never do. Many scheduler
processes may run (on several hosts), but only the holder of the database lease acts; the others
wait and take over when its lease lapses. Each job runs at most once per period: a ``JobRun`` row
with a unique (job, period) key is claimed before the job starts, and what the job sends is keyed
too, so a retry, a crash mid-run or a second process never sends, warns or closes twice.
"""
