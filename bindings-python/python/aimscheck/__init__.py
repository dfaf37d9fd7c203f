"""aimscheck: checks an AI management system (AIMS) model against ISO/IEC 42001:2023
clause 4.4 with declarative rules, and says rule by rule and clause by clause what holds,
what fails, where in the model (JSON Pointer) and what to do.

>>> import aimscheck
>>> report = aimscheck.evaluate({"schema_version": "1.0"}, as_of="2026-06-30", tier="startup")
>>> report["verdict"]
'nonconformant'
"""

from aimscheck._errors import (
    AimsCheckError,
    LimitError,
    ModelError,
    OptionsError,
    RulePackError,
)
from aimscheck._native import (
    ENGINE_VERSION,
    Engine,
    __version__,
    diagram,
    evaluate,
    export,
    rules,
    validate_model,
)
from aimscheck._types import (
    AsOf,
    ClauseRollup,
    DiagramFormat,
    ErrorDetail,
    ExceptionResult,
    ExportFormat,
    Finding,
    IndicatorResult,
    Limits,
    ModelSource,
    Overlay,
    PackDirs,
    PackInfo,
    Profile,
    Report,
    RuleInfo,
    RuleResult,
    Severity,
    Status,
    StrPath,
    Tier,
    Verdict,
)

__all__ = [
    "ENGINE_VERSION",
    "AimsCheckError",
    "AsOf",
    "ClauseRollup",
    "DiagramFormat",
    "Engine",
    "ErrorDetail",
    "ExceptionResult",
    "ExportFormat",
    "Finding",
    "IndicatorResult",
    "LimitError",
    "Limits",
    "ModelError",
    "ModelSource",
    "OptionsError",
    "Overlay",
    "PackDirs",
    "PackInfo",
    "Profile",
    "Report",
    "RuleInfo",
    "RulePackError",
    "RuleResult",
    "Severity",
    "Status",
    "StrPath",
    "Tier",
    "Verdict",
    "__version__",
    "diagram",
    "evaluate",
    "export",
    "rules",
    "validate_model",
]
