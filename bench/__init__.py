"""teamhub's benchmark: seed national-scale data, drive the pages under gunicorn, write results.md.

Run it with ``make bench``; see the README's "Benchmark" section.
"""
