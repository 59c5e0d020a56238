"""The task backends: the database queue with its worker, and RQ on Redis."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from gza.core.tasks import send_password_reset_email
from tests.core.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_a_queued_password_reset_email(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user = UserFactory()
    result = send_password_reset_email.enqueue(user_id=user.pk, base_url="http://testserver/")
    assert mail.outbox == []  # queued, not sent
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert mail.outbox[0].to == [user.email]


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_rq_on_redis_is_selected_by_setting():
    if not _redis_reachable():
        if os.environ.get("CI"):
            pytest.fail("Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    code = (
        "import django_rq; from gza.core.tasks import send_password_reset_email; "
        "q = django_rq.get_queue('default'); q.empty(); "
        "send_password_reset_email.enqueue(user_id=1, base_url='http://x/'); "
        "print(type(send_password_reset_email.get_backend()).__name__, q.count); q.empty()"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "GZA_ENVIRONMENT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/15")
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "RQBackend 1", result.stderr
