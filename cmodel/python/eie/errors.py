"""Exceptions: one per eie_status_t, each carrying the library's message."""

STATUS_OK = 0
STATUS_MISMATCH = 1
STATUS_TIMEOUT = 2
STATUS_BAD_INPUT = 3
STATUS_NO_MEMORY = 4
STATUS_IO = 5


class EieError(Exception):
    """A libeie call failed; .status is the eie_status_t, str() the library's message."""

    def __init__(self, message, status=STATUS_BAD_INPUT):
        super().__init__(message)
        self.status = status


class BadInputError(EieError, ValueError):
    """Malformed shape, value or configuration (EIE_STATUS_BAD_INPUT)."""


class MismatchError(EieError):
    """Outputs or events differ from the expected ones (EIE_STATUS_MISMATCH)."""


class TimeoutError(EieError):  # noqa: A001 (the library's name for it)
    """A run did not finish in its cycle budget (EIE_STATUS_TIMEOUT)."""


class IOError(EieError):  # noqa: A001
    """A file could not be read or written (EIE_STATUS_IO)."""


_BY_STATUS = {STATUS_MISMATCH: MismatchError, STATUS_TIMEOUT: TimeoutError,
              STATUS_BAD_INPUT: BadInputError, STATUS_NO_MEMORY: MemoryError, STATUS_IO: IOError}


def from_status(status, message):
    cls = _BY_STATUS.get(status, EieError)
    if cls is MemoryError:
        return MemoryError(message)
    return cls(message, status)
