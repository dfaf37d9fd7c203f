"""Typed shapes of what aimscheck returns: the report, rule metadata and error details.

They are ``TypedDict`` classes: at run time every value is a plain ``dict``. Keys that the
report leaves out when they have no value are in the ``total=False`` half of each pair.
"""

import datetime
import os
from typing import Any, Dict, List, Literal, Optional, Protocol, Tuple, TypedDict, Union

# Parts of a model 1.1 the package exports under these names (LifecycleRecords is the model's
# AiSystemRecords): types of aimscheck.model, generated from the model schema.
from aimscheck.model import AiSystemRecords as LifecycleRecords
from aimscheck.model import DataResource, Model, Supplier

__all__ = [
    "Aims",
    "ArrowArrayExportable",
    "ArrowData",
    "ArrowStreamExportable",
    "AsOf",
    "Aspect",
    "Change",
    "ClauseResult",
    "ClauseRollup",
    "DataResource",
    "DiagramFormat",
    "DiffSide",
    "DiffSummary",
    "EngineInfo",
    "ErrorDetail",
    "ExceptionResult",
    "ExceptionStatus",
    "ExportFormat",
    "Finding",
    "FindingKind",
    "Grade",
    "IndicatorResult",
    "LifecycleRecords",
    "Limits",
    "Migration",
    "ModelInfo",
    "ModelSource",
    "Overlay",
    "PackDirs",
    "PackInfo",
    "Profile",
    "Report",
    "ReportDiff",
    "ReportSource",
    "RuleDiff",
    "RuleError",
    "RuleInfo",
    "RuleResult",
    "SchemaVersion",
    "Severity",
    "Status",
    "StatusCounts",
    "StrPath",
    "Stopped",
    "Summary",
    "Supplier",
    "SupplierProvides",
    "Tier",
    "Verdict",
    "Waiver",
]

# The literal aliases are spelled as unions of one-value Literals: the same type to a type
# checker, and a typing.Union at run time, which is what stubtest expects of a union alias.
Status = Union[
    Literal["pass"],
    Literal["fail"],
    Literal["insufficient_evidence"],
    Literal["not_applicable"],
    Literal["waived"],
    Literal["error"],
]
"""The status a rule ends in."""
Severity = Union[Literal["low"], Literal["medium"], Literal["high"], Literal["critical"]]
"""Severity of a rule."""
SchemaVersion = Union[Literal["1.0"], Literal["1.1"]]
"""A model schema version: 1.1 adds only optional members to 1.0."""
SupplierProvides = Union[
    Literal["model"], Literal["data"], Literal["platform"], Literal["service"], Literal["component"]
]
"""What a supplier of AI components provides (model 1.1)."""
Tier = Union[Literal["startup"], Literal["scaleup"], Literal["enterprise"]]
"""Size tier of the organization."""
Profile = Union[Literal["tier"], Literal["certification"]]
"""Evaluation profile."""
Aspect = Union[
    Literal["establish"],
    Literal["implement"],
    Literal["maintain"],
    Literal["improve"],
    Literal["document"],
]
"""What part of clause 4.4 a rule looks at."""
FindingKind = Union[Literal["violation"], Literal["missing_evidence"]]
"""Whether a finding shows a violation or missing evidence."""
ClauseResult = Union[
    Literal["compliant"],
    Literal["partially_compliant"],
    Literal["non_compliant"],
    Literal["not_applicable"],
    Literal["not_assessed"],
]
"""Result of a clause in the roll-up."""
Grade = Union[
    Literal["major_nonconformity"],
    Literal["minor_nonconformity"],
    Literal["observation_sensitive_point"],
    Literal["opportunity_for_improvement"],
]
"""Indicative nonconformity grade of a failing clause, decided with its result."""
Verdict = Union[Literal["conformant"], Literal["nonconformant"], Literal["inconclusive"]]
"""Overall verdict on the AIMS, over every rule."""
ExceptionStatus = Union[
    Literal["applied"],
    Literal["unused"],
    Literal["expired"],
    Literal["unapproved"],
    Literal["unknown_rule"],
]
"""What became of an exception of the model."""
ExportFormat = Union[
    Literal["sarif"],
    Literal["oscal"],
    Literal["junit"],
    Literal["markdown"],
    Literal["html"],
    Literal["ciso-csv"],
]
"""A format ``export`` renders a report in."""
DiagramFormat = Union[Literal["dot"], Literal["svg"], Literal["mermaid"]]
"""A form of the process map ``diagram`` draws."""

StrPath = Union[str, "os.PathLike[str]"]
"""A file or folder path."""
ModelSource = Union[
    Model, Dict[str, Any], str, bytes, bytearray, "os.PathLike[str]", "os.PathLike[bytes]"
]
"""A model: a dict (a ``Model``, typed, or any dict), JSON text (str, bytes, bytearray), or a path
(os.PathLike) to a JSON file."""
AsOf = Union[datetime.date, str]
"""An evaluation date: a ``datetime.date`` or a ``YYYY-MM-DD`` string."""
PackDirs = Union[StrPath, List[StrPath], Tuple[StrPath, ...]]
"""One folder of a rule pack, or several."""


class ArrowArrayExportable(Protocol):
    """Arrow data exported as one array through the Arrow C data interface: a pyarrow
    ``Array`` or ``RecordBatch``, or any object with ``__arrow_c_array__``."""

    def __arrow_c_array__(self, requested_schema: Any = None) -> Tuple[object, object]: ...


class ArrowStreamExportable(Protocol):
    """Arrow data exported as a stream of arrays through the Arrow C stream interface: a
    pyarrow ``ChunkedArray``, ``Table`` or ``RecordBatchReader``, a polars ``Series`` or
    ``DataFrame``, or any object with ``__arrow_c_stream__``."""

    def __arrow_c_stream__(self, requested_schema: Any = None) -> object: ...


ArrowData = Union[ArrowArrayExportable, ArrowStreamExportable]
"""What ``evaluate_arrow`` reads: an object with ``__arrow_c_array__`` or
``__arrow_c_stream__``."""


class ErrorDetail(TypedDict):
    """One issue of an error or of ``validate_model``; absent values are ``None``."""

    code: str
    message: str
    pointer: str
    line: Optional[int]
    column: Optional[int]
    file: Optional[str]
    rule_id: Optional[str]
    help: Optional[str]


class _FindingBase(TypedDict):
    kind: FindingKind
    pointer: str
    message: str


class Finding(_FindingBase, total=False):
    """One thing a rule found, located in the model by a JSON Pointer."""

    entity_id: str
    expected: str
    actual: Any
    actual_total: int


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
    aspect: Aspect
    clause_refs: List[str]
    tiers: List[Tier]
    checked: int
    findings: List[Finding]
    findings_total: int
    remediation: str


class RuleResult(_RuleResultBase, total=False):
    """The result of one rule. ``findings_truncated`` is present, and ``True``, when
    ``max_findings_per_rule`` cut ``findings`` (``findings_total`` counts them all)."""

    reason: str
    findings_truncated: Literal[True]
    error: RuleError
    waivers: List[Waiver]


# "pass" is a Python keyword, so this one is written in the functional form.
StatusCounts = TypedDict(
    "StatusCounts",
    {
        "pass": int,
        "fail": int,
        "insufficient_evidence": int,
        "not_applicable": int,
        "waived": int,
        "error": int,
    },
)
"""Counts of rules by status."""


class Summary(TypedDict):
    """Counts by status, overall and by severity and aspect."""

    rules: int
    findings: int
    by_status: StatusCounts
    by_severity: Dict[str, StatusCounts]
    by_aspect: Dict[str, StatusCounts]


class _ClauseRollupBase(TypedDict):
    clause: str
    title: str
    result: ClauseResult
    urn: str
    rules: Dict[str, Status]


class ClauseRollup(_ClauseRollupBase, total=False):
    """One clause or Annex A control of the roll-up."""

    grade: Grade


class _AimsBase(TypedDict):
    result: ClauseResult


class Aims(_AimsBase, total=False):
    """The AIMS as a whole, over every rule, in the roll-up vocabulary (not clause 4.4's row,
    which is its entry in ``clauses``). ``grade`` is absent when no rule fails."""

    grade: Grade


class _IndicatorResultBase(TypedDict):
    id: str
    title: str
    unit: str
    method: str
    value: Any


class IndicatorResult(_IndicatorResultBase, total=False):
    """An indicator computed from the model as of ``as_of``; ``value`` is None without data."""

    error: str


class _ExceptionResultBase(TypedDict):
    id: str
    rule_id: str
    status: ExceptionStatus
    pointer: str
    message: str


class ExceptionResult(_ExceptionResultBase, total=False):
    """One exception of the model and what became of it."""

    target: str


class EngineInfo(TypedDict):
    """The engine that wrote the report."""

    name: str
    version: str


class PackInfo(TypedDict):
    """A rule pack: id, version and ``sha256:`` digest."""

    id: str
    version: str
    digest: str


class _ModelInfoBase(TypedDict):
    digest: str
    schema_version: SchemaVersion


class ModelInfo(_ModelInfoBase, total=False):
    """The model the report is about."""

    organization: str


class Limits(TypedDict, total=False):
    """Limits on loading a model; a key left out keeps its default. Past ``max_bytes``,
    ``max_depth`` or ``max_array_len`` the model is refused with a ``LimitError``
    (code ``AIMS-E-LIMIT``)."""

    max_bytes: int
    """Largest model accepted as text, bytes or a file, in bytes (default 268435456,
    256 MiB); a dict has no size in bytes."""
    max_depth: int
    """Deepest nesting of objects and arrays accepted (default 64); deeper than 128 levels is
    refused whatever the limit, as a JSON parser refuses it."""
    max_issues: int
    """Most issues listed in one ``ModelError`` (default 1000); the others are left out."""
    max_array_len: int
    """Most items accepted in any one array of the model (default 10000000)."""


class Overlay(TypedDict, total=False):
    """Rules to disable and severities to change, without editing a pack."""

    disable: List[str]
    severity: Dict[str, Severity]


class _ReportBase(TypedDict):
    report_version: str
    engine: EngineInfo
    rule_packs: List[PackInfo]
    model: ModelInfo
    as_of: str
    tier: Tier
    tier_source: Literal["option", "model", "default"]
    profile: Profile
    verdict: Verdict
    aims: Aims
    grades_note: str
    fix_first: List[str]
    """Ids of the failing rules in the order to fix them: most severe first, then by the
    rule's first clause (4.4 < 5.1 < 6.1.2 < 10.2), then by id."""
    summary: Summary
    clauses: List[ClauseRollup]
    rules: List[RuleResult]
    indicators: List[IndicatorResult]
    exceptions: List[ExceptionResult]


class ModelWarning(TypedDict, total=False):
    """A warning of the model's load in a report: a member the model schema does not define
    (``AIMS-W-UNKNOWN-MEMBER``), at its pointer; ``help`` names the member it probably meant."""

    code: str
    message: str
    pointer: str
    help: str


class Stopped(TypedDict):
    """Why an evaluation stopped early (a report's ``stopped``): ``limit`` is the option whose
    limit ran out, ``max_steps_total`` or ``timeout``."""

    limit: Literal["max_steps_total", "timeout"]
    message: str


class Report(_ReportBase, total=False):
    """The report: the same JSON as ``aimscheck check --format json``, as Python objects."""

    overlay: Overlay
    warnings: List[ModelWarning]
    stopped: Stopped


ReportSource = Union[Report, str, bytes, bytearray]
"""A report as ``export``, ``diagram`` and ``diff`` take it: the dict ``evaluate`` returned, or
its JSON text (what ``aimscheck check --format json`` prints) as a str, bytes or bytearray."""


class Validation(TypedDict):
    """What ``validate`` returns: whether the model is valid, its schema version and digest
    when it is (else ``None``), its errors when it is not, and its warnings."""

    valid: bool
    schema_version: Optional[str]
    digest: Optional[str]
    errors: List[ErrorDetail]
    warnings: List[ErrorDetail]


class _RuleInfoBase(TypedDict):
    id: str
    title: str
    clause_refs: List[str]
    aspect: Aspect
    severity: Severity
    tiers: List[Tier]
    rationale: str
    remediation: str
    pack: str


class RuleInfo(_RuleInfoBase, total=False):
    """What a rule checks and why (the objects of ``aimscheck rules list --format json``, and
    the object of ``aimscheck rules explain ID --format json``)."""

    forms: Dict[str, str]
    example: Dict[str, Any]
    disabled: bool
    """Present, ``True``, when the overlay turns the rule off."""


class Migration(TypedDict):
    """What ``migrate`` returns: the model's text at schema 1.1 (what ``aimscheck migrate``
    writes), and whether it changed (``False`` when the model already followed 1.1)."""

    model_text: str
    changed: bool


Change = Union[
    Literal["added"],
    Literal["removed"],
    Literal["improved"],
    Literal["regressed"],
    Literal["changed"],
    Literal["same"],
]
"""How a rule's status moved between two reports: ``improved`` and ``regressed`` in the order
fail, error, insufficient evidence, the rest; ``changed`` between statuses equally good."""


class _DiffSideBase(TypedDict):
    as_of: str
    model_digest: str
    verdict: Verdict


class DiffSide(_DiffSideBase, total=False):
    """One of the two reports a ``diff`` compares."""

    file: str
    """The report's file: in ``aimscheck diff``'s output only."""


class RuleDiff(TypedDict):
    """One rule of a ``diff``: its two statuses (``None`` where a report lacks the rule), and
    its findings fixed (the old report's only), new (the new report's only) and unchanged."""

    id: str
    old_status: Optional[Status]
    new_status: Optional[Status]
    change: Change
    fixed: List[Finding]
    new: List[Finding]
    unchanged: int


class DiffSummary(TypedDict):
    """The totals of a ``diff``."""

    fixed: int
    new: int
    unchanged: int
    rules_improved: int
    rules_regressed: int
    rules_changed: int
    rules_added: int
    rules_removed: int


class ReportDiff(TypedDict):
    """What ``diff`` returns: the JSON of ``aimscheck diff OLD NEW --format json``."""

    old: DiffSide
    new: DiffSide
    rules: List[RuleDiff]
    summary: DiffSummary

