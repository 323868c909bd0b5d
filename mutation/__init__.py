"""`make mutate`: mutation testing of teamhub's rule modules (see run.py and tables.py)."""
