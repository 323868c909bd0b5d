"""gunicorn settings for teamhub; gunicorn reads this file from the working directory.

Command-line options (workers, bind) still apply on top of it.
"""

import gc


def post_worker_init(worker):
    """Take the loaded app out of the garbage collector's way, once per worker.

    A worker holds a few hundred thousand long-lived objects (modules, mappers, compiled
    templates, catalogs). A page that builds many objects, such as an organisation's outcome
    report of 10,000 trainees, triggered full collections that walked all of them every time:
    ~360 → ~245 ms for that report (bench/notes.md). ``gc.freeze`` moves what exists now to a
    permanent generation; objects made by requests are collected as before.
    """
    gc.freeze()
