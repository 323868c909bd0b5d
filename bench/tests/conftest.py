"""The benchmark's own tests (``make bench-test``) use the suite's app and fixtures."""

from tests.conftest import *  # noqa: F403
