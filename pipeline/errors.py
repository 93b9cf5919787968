"""Errors a user can act on. Each carries plain sentences, printed without a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem in the user's files, config or flags; `exit_status` is what the CLI returns."""

    exit_status = 2

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages: list[str] = list(messages)


class UsageError(UserError):
    """Bad flags, a bad config or a missing file: exit status 2."""

    exit_status = 2


class DataError(UserError):
    """The data failed validation with at least one fatal finding: exit status 1."""

    exit_status = 1
