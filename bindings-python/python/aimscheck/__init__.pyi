# Typed API of the aimscheck package (the native functions and class live in aimscheck._native).
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union, final

from aimscheck._errors import (
    AimsCheckError as AimsCheckError,
    LimitError as LimitError,
    ModelError as ModelError,
    OptionsError as OptionsError,
    RulePackError as RulePackError,
)
from aimscheck import model as model
from aimscheck.model import Model as Model
from aimscheck._types import (
    ArrowArrayExportable as ArrowArrayExportable,
    ArrowData as ArrowData,
    ArrowStreamExportable as ArrowStreamExportable,
    AsOf as AsOf,
    Change as Change,
    ClauseRollup as ClauseRollup,
    DataResource as DataResource,
    DiagramFormat as DiagramFormat,
    DiffSide as DiffSide,
    DiffSummary as DiffSummary,
    ErrorDetail as ErrorDetail,
    ExceptionResult as ExceptionResult,
    ExportFormat as ExportFormat,
    Finding as Finding,
    IndicatorResult as IndicatorResult,
    LifecycleRecords as LifecycleRecords,
    Limits as Limits,
    Migration as Migration,
    ModelSource as ModelSource,
    Overlay as Overlay,
    PackDirs as PackDirs,
    PackInfo as PackInfo,
    Profile as Profile,
    ModelWarning as ModelWarning,
    Report as Report,
    ReportDiff as ReportDiff,
    ReportSource as ReportSource,
    RuleDiff as RuleDiff,
    Validation as Validation,
    RuleInfo as RuleInfo,
    RuleResult as RuleResult,
    SchemaVersion as SchemaVersion,
    Severity as Severity,
    Stopped as Stopped,
    Status as Status,
    StrPath as StrPath,
    Supplier as Supplier,
    SupplierProvides as SupplierProvides,
    Tier as Tier,
    Verdict as Verdict,
)

__all__ = [
    "ENGINE_VERSION",
    "AimsCheckError",
    "ArrowArrayExportable",
    "ArrowData",
    "ArrowStreamExportable",
    "AsOf",
    "Change",
    "ClauseRollup",
    "DataResource",
    "DiagramFormat",
    "DiffSide",
    "DiffSummary",
    "Engine",
    "ErrorDetail",
    "ExceptionResult",
    "ExportFormat",
    "Finding",
    "IndicatorResult",
    "LifecycleRecords",
    "LimitError",
    "Limits",
    "Model",
    "Migration",
    "ModelError",
    "ModelSource",
    "OptionsError",
    "Overlay",
    "PackDirs",
    "PackInfo",
    "Profile",
    "ModelWarning",
    "Report",
    "ReportDiff",
    "ReportSource",
    "RuleDiff",
    "Validation",
    "RuleInfo",
    "RulePackError",
    "RuleResult",
    "SchemaVersion",
    "Severity",
    "Stopped",
    "Status",
    "StrPath",
    "Supplier",
    "SupplierProvides",
    "Tier",
    "Verdict",
    "__version__",
    "diagram",
    "diff",
    "evaluate",
    "evaluate_arrow",
    "evaluate_many",
    "explain_rule",
    "export",
    "model",
    "init",
    "lint_rules",
    "migrate",
    "rules",
    "validate",
    "validate_model",
]

__version__: str
"""Version of the aimscheck package."""
ENGINE_VERSION: str
"""Version of the Rust engine inside (the report's ``engine.version``)."""

def evaluate(
    model: ModelSource,
    *,
    as_of: AsOf,
    tier: Optional[Tier] = None,
    profile: Profile = "tier",
    rules: Optional[PackDirs] = None,
    default_rules: bool = True,
    overlay: Union[Overlay, StrPath, None] = None,
    max_findings_per_rule: Optional[int] = None,
    max_steps_per_rule: Optional[int] = None,
    max_steps_total: Optional[int] = None,
    timeout: Optional[float] = None,
    limits: Optional[Limits] = None,
    strict: bool = False,
) -> Report:
    """Evaluates ``model`` as of ``as_of`` and returns the report.

    ``tier`` defaults to ``organization.size_tier``; ``rules`` adds pack folders beside the
    embedded default pack, which ``default_rules=False`` leaves out (the CLI's
    ``--no-default-rules``); ``overlay`` disables rules or changes severities.

    ``max_findings_per_rule`` (default 1000) is how many findings each rule lists: the others
    are counted in its ``findings_total``, and its ``findings_truncated`` is ``True``.
    ``max_steps_per_rule`` (default 1000000000) is how many evaluation steps each rule (and
    each indicator) may take: a rule that needs more ends in status ``error`` with error code
    ``AIMS-E-BUDGET``, and the others still run. Both are non-negative ints.
    ``max_steps_total`` (default 10000000000) bounds the steps of the whole evaluation, and
    ``timeout`` (seconds, an int or float above 0; default no limit) its wall-clock time: once
    either runs out, the rules not done end in status ``error`` with code ``AIMS-E-BUDGET``,
    the report's ``stopped`` says which limit it was, and the verdict is at best
    ``inconclusive``. Where a ``timeout`` stops depends on the machine.

    ``limits`` bounds the loading of the model (see ``Limits``): past one, ``LimitError``.
    A member the model schema does not define is a warning in the report's ``warnings``
    (``AIMS-W-UNKNOWN-MEMBER``, with the member it probably meant in ``help``); with
    ``strict``, it is a ``ModelError`` (``AIMS-E-UNKNOWN-MEMBER``).

    A ``str`` holding lone surrogates (what ``bytes.decode(errors="surrogateescape")`` makes
    of bytes that are not UTF-8) is not text: ``ModelError`` with code ``AIMS-E-SYNTAX``,
    located at the first surrogate (line, and column in characters), the error those bytes
    give.

    Raises ``TypeError`` for an argument of the wrong type (a ``bool`` for a count too),
    ``ModelError``, ``LimitError``, ``OptionsError`` (an invalid option, a negative count, an
    unknown key or a value other than a non-negative int in ``limits``), ``RulePackError``,
    or ``OSError`` for a file that cannot be read.
    """

def evaluate_many(
    models: Iterable[ModelSource],
    *,
    as_of: AsOf,
    tier: Optional[Tier] = None,
    profile: Profile = "tier",
    rules: Optional[PackDirs] = None,
    default_rules: bool = True,
    overlay: Union[Overlay, StrPath, None] = None,
    max_findings_per_rule: Optional[int] = None,
    max_steps_per_rule: Optional[int] = None,
    max_steps_total: Optional[int] = None,
    timeout: Optional[float] = None,
    limits: Optional[Limits] = None,
    strict: bool = False,
    jobs: Optional[int] = None,
    names: Optional[Iterable[str]] = None,
) -> List[Union[Report, Exception]]:
    """Evaluates every model of ``models`` (each in any form ``evaluate`` takes) on one engine,
    in parallel on ``jobs`` threads (default: one per core) with the GIL released, and returns a
    list in input order: each model's report, or the exception ``evaluate`` would raise for it,
    returned rather than raised (``ModelError``, ``LimitError``, an ``OSError`` for a file that
    cannot be read, a ``TypeError`` for a model Python cannot convert). Its issues' ``file`` is
    the model's name: ``names[i]`` if given (as many as models), else ``models/<i>``.

    The options are those of ``evaluate``, for every model. Raised: an invalid option
    (``OptionsError`` or ``TypeError``; ``jobs`` must be a positive int, ``names`` as many
    ``str`` as models), ``RulePackError``, or a ``TypeError`` for ``models`` that is one model
    (a dict, ``str``, ``bytes`` or path) rather than an iterable of them.
    """

def evaluate_arrow(
    models: ArrowData,
    *,
    ids: Optional[ArrowData] = None,
    as_of: AsOf,
    tier: Optional[Tier] = None,
    profile: Profile = "tier",
    rules: Optional[PackDirs] = None,
    default_rules: bool = True,
    overlay: Union[Overlay, StrPath, None] = None,
    max_findings_per_rule: Optional[int] = None,
    max_steps_per_rule: Optional[int] = None,
    max_steps_total: Optional[int] = None,
    timeout: Optional[float] = None,
    limits: Optional[Limits] = None,
    strict: bool = False,
    jobs: Optional[int] = None,
) -> Any:
    """Evaluates the models of ``models``, Arrow data read through the Arrow C data interface
    (no Python object per value), as ``evaluate_many`` evaluates them: on one engine, in
    parallel on ``jobs`` threads with the GIL released. Returns ONE record batch with a row
    per model, in input order: a ``pyarrow.RecordBatch`` when pyarrow (14 or later) can be
    imported, else pyo3-arrow's own record batch object, which has ``__arrow_c_array__`` (so
    ``pyarrow.record_batch(b)``, ``polars.from_arrow(b)`` and other Arrow libraries read it).

    ``models`` is any object with ``__arrow_c_array__`` or ``__arrow_c_stream__`` (pyarrow
    ``Array``, ``ChunkedArray``, ``RecordBatch``, ``Table``, ``RecordBatchReader``; polars
    ``Series``, ``DataFrame``), either

    - of a string type (utf8, large_utf8, utf8_view) or binary type (binary, large_binary,
      binary_view): each value is one model's JSON text; or
    - of structs (a struct array, record batch, table or stream of record batches) with a
      column ``model`` of such a type, and optionally a column ``id`` of any type.

    ``ids`` (Arrow data too, one value per model) or the input's ``id`` column is carried
    through unchanged as the first column, ``id``, of the answer. The options are those of
    ``evaluate_many``.

    The answer's columns, in this order:

    - ``id``: only with ``ids`` or an ``id`` column; its type and values, unchanged;
    - ``verdict`` (utf8): the report's verdict;
    - ``pass``, ``fail``, ``insufficient_evidence``, ``not_applicable``, ``waived``,
      ``error`` (int64): the report's ``summary.by_status``, rules by status;
    - ``statuses`` (map<utf8, utf8>): each rule's id to its status, in the report's order;
    - ``error_code`` (utf8): the code of the model's error;
    - ``error_message`` (utf8): its message, the text ``str()`` gives of the exception
      ``evaluate_many`` returns for that model;
    - ``report`` (utf8): the report as JSON, byte for byte what
      ``aimscheck check --format json`` writes for the model (``json.loads`` gives the dict
      ``evaluate`` returns).

    A row has either a report (``error_code`` and ``error_message`` null) or an error (every
    other column but ``id`` null). A null model is its row's error, code ``AIMS-E-EMPTY``; a
    model that does not load is its row's error too (``AIMS-E-SYNTAX``, ``AIMS-E-SCHEMA``,
    ...), its issues located in ``rows/<i>``, ``i`` the row's index over the whole input.

    Raised: ``OptionsError`` for an invalid option (as ``evaluate_many``), ``models`` or
    ``ids`` that are not Arrow data, values of another type, a struct input without a
    ``model`` column, ``ids`` of another length than ``models``, or ``ids`` given with an
    ``id`` column; ``TypeError`` for an option of the wrong type; ``RulePackError``.
    """

def validate_model(
    model: ModelSource, *, limits: Optional[Limits] = None, strict: bool = False
) -> List[ErrorDetail]:
    """Loads ``model`` within ``limits`` (see ``Limits``) and returns every error found: an
    empty list when it is valid. A limit exceeded is one issue with code ``AIMS-E-LIMIT``;
    ``limits`` itself invalid raises ``OptionsError``. With ``strict``, a member the model
    schema does not define is an error (``AIMS-E-UNKNOWN-MEMBER``); without, it is a warning,
    which ``validate`` lists."""

def validate(
    model: ModelSource, *, limits: Optional[Limits] = None, strict: bool = False
) -> Validation:
    """Loads ``model`` within ``limits`` and returns whether it is valid, its schema version
    and digest when it is, its errors when it is not, and its warnings: each member the model
    schema does not define (and that does not start with ``x_``), code
    ``AIMS-W-UNKNOWN-MEMBER``, at its pointer, line and column, with the member it probably
    meant in ``help``. With ``strict``, those are errors (``AIMS-E-UNKNOWN-MEMBER``)."""

def rules(
    *,
    rules: Optional[PackDirs] = None,
    default_rules: bool = True,
    overlay: Union[Overlay, StrPath, None] = None,
) -> List[RuleInfo]:
    """The rules of the packs: the embedded default pack (unless ``default_rules`` is
    ``False``) and the ``rules`` folders, with the ``overlay``'s severities and
    ``"disabled": True`` on the rules it turns off; what ``aimscheck rules list --format json``
    prints. Raises ``RulePackError`` for a pack or overlay that does not load."""

def explain_rule(
    rule_id: str,
    *,
    rules: Optional[PackDirs] = None,
    default_rules: bool = True,
) -> RuleInfo:
    """The rule ``rule_id`` of the packs (as ``rules`` names them), with its rationale,
    remediation and passing example: what ``aimscheck rules explain ID --format json`` prints.
    An id that matches no rule exactly is taken case-insensitively when one rule matches so.
    Raises ``OptionsError`` with code ``AIMS-E-UNKNOWN-RULE`` for an id of no loaded rule, its
    message naming the nearest ids ("nearest: AIMS-PROC-01, ..."), and ``RulePackError`` for a
    pack that does not load."""

def lint_rules(*, rules: Optional[PackDirs] = None) -> Dict[str, Any]:
    """The pack folders ``rules`` (none: the embedded default pack) linted for loops whose cost
    is the product of two model collections: ``{"packs": [{"id", "version", "checks"}],
    "warnings": [...]}``, each warning a dict with ``code`` (``AIMS-W-NESTED-SCAN``),
    ``message``, ``pointer``, ``line``, ``column``, ``file``, ``rule_id`` and ``help``; what
    ``aimscheck rules lint [DIR ...] --format json`` prints. Raises ``RulePackError`` for a
    pack that does not load."""

def init(*, tier: Tier) -> str:
    """The starter model of ``tier`` (``"startup"``, ``"scaleup"`` or ``"enterprise"``): JSON
    text of schema 1.1 listing the processes the tier needs, to fill in; what
    ``aimscheck init --tier TIER`` writes. Raises ``OptionsError`` for another tier and
    ``TypeError`` for a tier that is not a ``str``."""

def migrate(
    model: ModelSource, *, limits: Optional[Limits] = None, strict: bool = False
) -> Migration:
    """``model`` (any form ``evaluate`` takes, loaded within ``limits``) of schema 1.0
    rewritten as 1.1, only its ``schema_version`` changing. ``model_text`` is what
    ``aimscheck migrate MODEL`` writes: a text or file model keeps its layout, a dict is
    written as JSON with two-space indents. ``changed`` is ``False`` for a model that already
    follows 1.1 (``model_text`` is then the model as given).

    Raises ``ModelError`` for a model that does not load (with ``strict``, one holding a
    member the model schema does not define, ``AIMS-E-UNKNOWN-MEMBER``) or of another schema
    version (``AIMS-E-MIGRATE``), and what ``evaluate`` raises for the model argument."""

def diff(old_report: ReportSource, new_report: ReportSource) -> ReportDiff:
    """Compares two reports (each the dict ``evaluate`` returned, or its JSON text): per rule,
    how its status moved and the findings fixed (in the old report only), new (in the new one
    only) and unchanged, with the totals in ``summary``. What
    ``aimscheck diff OLD NEW --format json`` prints, without the file names. Raises
    ``AimsCheckError`` with code ``AIMS-E-REPORT`` for an argument that is not a report (a
    model, text that is not JSON, a report of a format this engine does not read) and
    ``TypeError`` for an argument of another type."""

def export(
    report: ReportSource,
    format: ExportFormat,
    *,
    model: Optional[ModelSource] = None,
    model_uri: Optional[str] = None,
    limits: Optional[Limits] = None,
) -> str:
    """Renders ``report`` (the dict ``evaluate`` returned, or its JSON text) as ``format``: ``"sarif"`` (SARIF
    2.1.0), ``"oscal"`` (OSCAL 1.1.3 assessment-results), ``"junit"`` (JUnit XML),
    ``"markdown"``, ``"html"`` (a self-contained page) or ``"ciso-csv"`` (CISO Assistant CSV);
    the same text as ``aimscheck check --format FORMAT``.

    ``model`` is the evaluated model, in any form ``evaluate`` accepts, loaded within
    ``limits``: as text or a path it gives SARIF results their line numbers, and it gives the
    HTML page its process map.
    ``model_uri`` names the model file in SARIF and OSCAL locations (default: ``model`` when it
    is a path). Rendering releases the GIL.

    Raises ``OptionsError`` (a ``ValueError``) for an unknown format, ``AimsCheckError`` with
    code ``AIMS-E-REPORT`` for a dict that is not a report (or a model that is not the one the
    report is about) and with code ``AIMS-E-EXPORT`` when the export cannot be produced,
    ``TypeError`` for an argument of the wrong type, and what ``evaluate`` raises for the model.
    """

def diagram(
    model: ModelSource,
    *,
    format: DiagramFormat = "dot",
    report: Optional[ReportSource] = None,
    limits: Optional[Limits] = None,
    strict: bool = False,
) -> str:
    """The process-interaction map of ``model`` (loaded within ``limits``): processes as nodes, inputs and outputs as
    labelled edges, as ``"dot"`` (Graphviz), ``"svg"`` (a self-contained picture) or
    ``"mermaid"`` (a flowchart); the same text as ``aimscheck diagram --format FORMAT``.

    With ``report`` (the dict ``evaluate`` returned for this model, or its JSON text), the
    processes with findings of failing rules are marked: the CLI's ``--as-of``, ``--tier``,
    ``--profile``, ``--rules`` and ``--overlay``, which evaluate the model for it, are those
    options of ``evaluate``. With ``strict``, a member the model schema does not define is a
    ``ModelError``. Raises ``OptionsError`` for an unknown format,
    ``AimsCheckError`` with code ``AIMS-E-REPORT`` for a ``report`` that is not one (or not this
    model's), and what ``evaluate`` raises for the model.
    """

@final
class Engine:
    """A compiled rule set: the default pack (unless ``default_rules`` is ``False``), plus any
    ``rules`` folders, with an optional ``overlay``. Immutable and safe to share between threads; each evaluation releases the GIL.
    """

    def __new__(
        cls,
        rules: Optional[PackDirs] = None,
        overlay: Union[Overlay, StrPath, None] = None,
        *,
        default_rules: bool = True,
    ) -> "Engine": ...
    def evaluate(
        self,
        model: ModelSource,
        *,
        as_of: AsOf,
        tier: Optional[Tier] = None,
        profile: Profile = "tier",
        max_findings_per_rule: Optional[int] = None,
        max_steps_per_rule: Optional[int] = None,
        max_steps_total: Optional[int] = None,
        timeout: Optional[float] = None,
        limits: Optional[Limits] = None,
        strict: bool = False,
    ) -> Report:
        """Evaluates ``model`` as of ``as_of`` and returns the report; the options are those
        of ``aimscheck.evaluate``."""

    def evaluate_many(
        self,
        models: Iterable[ModelSource],
        *,
        as_of: AsOf,
        tier: Optional[Tier] = None,
        profile: Profile = "tier",
        max_findings_per_rule: Optional[int] = None,
        max_steps_per_rule: Optional[int] = None,
        max_steps_total: Optional[int] = None,
        timeout: Optional[float] = None,
        limits: Optional[Limits] = None,
        strict: bool = False,
        jobs: Optional[int] = None,
        names: Optional[Iterable[str]] = None,
    ) -> List[Union[Report, Exception]]:
        """Evaluates every model of ``models`` in parallel and returns a list in input order:
        each model's report, or the exception ``evaluate`` would raise for it (returned, not
        raised); the options are those of ``aimscheck.evaluate_many``."""

    def evaluate_arrow(
        self,
        models: ArrowData,
        *,
        ids: Optional[ArrowData] = None,
        as_of: AsOf,
        tier: Optional[Tier] = None,
        profile: Profile = "tier",
        max_findings_per_rule: Optional[int] = None,
        max_steps_per_rule: Optional[int] = None,
        max_steps_total: Optional[int] = None,
        timeout: Optional[float] = None,
        limits: Optional[Limits] = None,
        strict: bool = False,
        jobs: Optional[int] = None,
    ) -> Any:
        """Evaluates the models of ``models`` (Arrow data) in parallel and returns one record
        batch with a row per model (a ``pyarrow.RecordBatch`` when pyarrow can be imported);
        the input, the options and the columns are those of ``aimscheck.evaluate_arrow``."""

    def __reduce__(self) -> Tuple[Callable[[str], "Engine"], Tuple[str]]:
        """Pickles as the engine's state: its packs' files and its overlay. The unpickled
        engine is the same, built without the pack folders (for Dask, Ray or Spark workers)."""

    def __copy__(self) -> "Engine":
        """The engine itself: it is immutable."""

    def __deepcopy__(self, memo: Any, /) -> "Engine":
        """The engine itself: it is immutable."""

    def rules(self) -> List[RuleInfo]:
        """The rules this engine evaluates, as ``aimscheck.rules`` lists them."""

    @property
    def packs(self) -> List[PackInfo]:
        """The rule packs: id, version and digest of each."""
