"""The test profile: Gza's settings with GZA_ENVIRONMENT=test (immediate tasks, fast hashing).

Set here rather than in conftest.py because pytest-django reads settings before conftest runs."""

import os

os.environ["GZA_ENVIRONMENT"] = "test"

from gza.settings import *  # noqa: F403

# One-time codes land in gza.registry.messaging.outbox instead of on the console.
SMS_BACKEND = "gza.registry.messaging.LocmemSmsBackend"
