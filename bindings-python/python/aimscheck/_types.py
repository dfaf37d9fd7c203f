"""Typed shapes of what aimscheck returns: the report, rule metadata and error details.

They are ``TypedDict`` classes: at run time every value is a plain ``dict``. Keys that the
report leaves out when they have no value are in the ``total=False`` half of each pair.
"""

import sys
from typing import Any, Dict, List, Optional

if sys.version_info >= (3, 8):
    from typing import Literal, TypedDict

__all__ = [
    "Aspect",
    "ClauseResult",
    "ClauseRollup",
    "EngineInfo",
    "ErrorDetail",
    "ExceptionResult",
    "ExceptionStatus",
    "Finding",
    "FindingKind",
    "Grade",
    "IndicatorResult",
    "ModelInfo",
    "Overall",
    "Overlay",
    "PackInfo",
    "Profile",
    "Report",
    "RuleError",
    "RuleInfo",
    "RuleResult",
    "Severity",
    "Status",
    "StatusCounts",
    "Summary",
    "Tier",
    "Verdict",
    "Waiver",
]

Status = Literal["pass", "fail", "insufficient_evidence", "not_applicable", "waived", "error"]
"""The status a rule ends in."""
Severity = Literal["low", "medium", "high", "critical"]
"""Severity of a rule."""
Tier = Literal["startup", "scaleup", "enterprise"]
"""Size tier of the organization."""
Profile = Literal["tier", "certification"]
"""Evaluation profile."""
Aspect = Literal["establish", "implement", "maintain", "improve", "document"]
"""What part of clause 4.4 a rule looks at."""
FindingKind = Literal["violation", "missing_evidence"]
"""Whether a finding shows a violation or missing evidence."""
ClauseResult = Literal[
    "compliant", "partially_compliant", "non_compliant", "not_applicable", "not_assessed"
]
"""Result of a clause in the roll-up."""
Grade = Literal[
    "major_nonconformity",
    "minor_nonconformity",
    "observation_sensitive_point",
    "opportunity_for_improvement",
]
"""Nonconformity grade of a failing clause."""
Verdict = Literal["conformant", "nonconformant", "inconclusive"]
"""Overall verdict."""
ExceptionStatus = Literal["applied", "unused", "expired", "unapproved", "unknown_rule"]
"""What became of an exception of the model."""


class ErrorDetail(TypedDict):
    """One issue of an error or of ``validate_model``; absent values are ``None``."""

    code: str
    message: str
    pointer: str
    line: Optional[int]
    column: Optional[int]
    file: Optional[str]
    rule_id: Optional[str]


class _FindingBase(TypedDict):
    kind: FindingKind
    pointer: str
    message: str


class Finding(_FindingBase, total=False):
    """One thing a rule found, located in the model by a JSON Pointer."""

    entity_id: str
    expected: str
    actual: Any


class _WaiverBase(TypedDict):
    exception_id: str
    justification: str
    approved_by: str
    approved_on: str
    expires_on: str
    findings_waived: int


class Waiver(_WaiverBase, total=False):
    """An exception of the model that waived findings of a rule."""

    target: str


class RuleError(TypedDict):
    """Why a rule ended in ``error``."""

    code: str
    message: str


class _RuleResultBase(TypedDict):
    id: str
    title: str
    pack: str
    status: Status
    severity: Severity
    aspect: str
    clause_refs: List[str]
    tiers: List[str]
    checked: int
    findings: List[Finding]
    findings_total: int
    remediation: str


class RuleResult(_RuleResultBase, total=False):
    """The result of one rule."""

    reason: str
    error: RuleError
    waivers: List[Waiver]


class StatusCounts(TypedDict):
    """Counts of rules by status."""

    pass_: int  # placeholder, replaced below: "pass" is a keyword
    fail: int
    insufficient_evidence: int
    not_applicable: int
    waived: int
    error: int
