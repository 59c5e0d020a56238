"""Short text messages to a person's phone, through a backend chosen by the SMS_BACKEND setting.

Like Django's e-mail backends: the console backend (the default outside production) prints each
message, the file backend appends it to a file per recipient (the surge benchmark reads codes
from there), the in-memory backend keeps an outbox for tests, and a gateway's backend is a class
with a `send(to, body)` method named by its dotted path.

No backend writes a phone number to the logs: the console backend prints to standard output
like Django's console e-mail backend, outside the logging system, and only for development.
"""

import hashlib
import sys
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol, TextIO

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164
    body: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> None: ...


class ConsoleSmsBackend:
    """Prints each message, in full, to standard output: for a developer's own machine."""

    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: SmsMessage) -> None:
        with self._lock:
            self.stream.write(f"SMS to {message.to}\n{message.body}\n{'-' * 40}\n")
            self.stream.flush()


def recipient_file_name(to: str) -> str:
    """The file the file backend writes a recipient's messages to: a SHA-256 of the number, so
    a directory listing shows no phone numbers, yet whoever knows the number finds the file."""
    return hashlib.sha256(to.encode()).hexdigest()


class FileSmsBackend:
    """Appends each message to a file per recipient under SMS_FILE_PATH (load tests, demos)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or settings.SMS_FILE_PATH)
        self.directory.mkdir(parents=True, exist_ok=True)

    def send(self, message: SmsMessage) -> None:
        path = self.directory / recipient_file_name(message.to)
        # One write of a short text to a file opened for appending lands whole, even with
        # several server processes writing at once.
        with path.open("a", encoding="utf-8") as file:
            file.write(message.body.replace("\n", " ") + "\n")


# The in-memory backend's outbox, shared by every instance like django.core.mail.outbox.
outbox: list[SmsMessage] = []


class UnconfiguredSmsBackend:
    """The production default until a gateway is named: refuses to send, loudly, rather than
    print a person's code and number to a server's output."""

    def send(self, message: SmsMessage) -> None:
        raise ImproperlyConfigured(
            "SMS_BACKEND names no gateway: set it to the dotted path of the SMS gateway's backend."
        )


class LocmemSmsBackend:
    """Keeps messages in `gza.registry.messaging.outbox`, for tests."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


@cache
def _backend_class(path: str) -> type:
    return import_string(path)


def sms_send(*, to: str, body: str) -> None:
    """Send one SMS through the configured backend."""
    _backend_class(settings.SMS_BACKEND)().send(SmsMessage(to=to, body=body))
