"""The one error calibration inputs raise, so the command line can print it and exit 2."""

from __future__ import annotations

from labelmarket.errors import InputError


class CalibrationInputError(InputError):
    """Unusable calibration input (targets, priors, hold-out, resume), naming file and field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")
        self.file, self.field, self.message = file, field, message
