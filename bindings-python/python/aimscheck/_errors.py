"""The exceptions aimscheck raises. The native module raises these very classes."""

from typing import Any, Iterable, List, Optional, Tuple

from aimscheck._types import ErrorDetail

__all__ = ["AimsCheckError", "LimitError", "ModelError", "OptionsError", "RulePackError"]


class AimsCheckError(Exception):
    """Base class of every aimscheck error.

    ``code`` is a stable code (``AIMS-E-...``); ``errors`` lists the issues, each a dict with
    ``code``, ``message``, ``pointer`` (JSON Pointer), ``line``, ``column``, ``file`` and
    ``rule_id`` (``None`` where not known). A bug inside aimscheck (a Rust panic) is raised
    as this class itself with code ``AIMS-E-INTERNAL``.
    """

    code: str
    message: str
    errors: List[ErrorDetail]

    def __init__(
        self,
        message: str,
        code: str = "AIMS-E-INTERNAL",
        errors: Optional[Iterable[ErrorDetail]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = list(errors) if errors is not None else []

    def __reduce__(self) -> Tuple[Any, ...]:
        return (type(self), (self.message, self.code, self.errors))


class ModelError(AimsCheckError):
    """The model is not JSON, or violates the model schema: ``errors`` lists every violation
    with its JSON Pointer and, where the model came as text, its line and column."""


class RulePackError(AimsCheckError):
    """A rule pack or an overlay could not be loaded or compiled."""


class LimitError(AimsCheckError):
    """An input exceeds a limit (size, nesting depth, items in one array): the defaults or
    those given as ``limits``."""


class OptionsError(AimsCheckError, ValueError):
    """An option is invalid: ``as_of``, ``tier``, ``profile``, a negative
    ``max_findings_per_rule`` or ``max_steps_per_rule``, ``limits`` with an unknown key or a
    value other than a non-negative int, or the format of ``export`` or ``diagram``."""
