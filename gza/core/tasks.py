from django.tasks import task

from gza.core.services import password_reset_email_send


@task()
def send_password_reset_email(*, user_id: int, base_url: str) -> None:
    # Only the user id travels through the queue; the link and token are made at send time,
    # so no secret sits in the task table.
    password_reset_email_send(user_id=user_id, base_url=base_url)
