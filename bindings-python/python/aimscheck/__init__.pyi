# Typed API of the aimscheck package (the native functions and class live in aimscheck._native).
from typing import Any, Callable, Iterable, List, Optional, Tuple, Union, final

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
    ClauseRollup as ClauseRollup,
    DataResource as DataResource,
    DiagramFormat as DiagramFormat,
    ErrorDetail as ErrorDetail,
    ExceptionResult as ExceptionResult,
    ExportFormat as ExportFormat,
    Finding as Finding,
    IndicatorResult as IndicatorResult,
    LifecycleRecords as LifecycleRecords,
    Limits as Limits,
    ModelSource as ModelSource,
    Overlay as Overlay,
    PackDirs as PackDirs,
    PackInfo as PackInfo,
    Profile as Profile,
    ModelWarning as ModelWarning,
    Report as Report,
    Validation as Validation,
    RuleInfo as RuleInfo,
    RuleResult as RuleResult,
    SchemaVersion as SchemaVersion,
    Severity as Severity,
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
    "ClauseRollup",
    "DataResource",
    "DiagramFormat",
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
    "ModelError",
    "ModelSource",
    "OptionsError",
    "Overlay",
    "PackDirs",
    "PackInfo",
    "Profile",
    "ModelWarning",
    "Report",
    "Validation",
    "RuleInfo",
    "RulePackError",
    "RuleResult",
    "SchemaVersion",
    "Severity",
    "Status",
    "StrPath",
    "Supplier",
    "SupplierProvides",
    "Tier",
    "Verdict",
    "__version__",
    "diagram",
    "evaluate",
    "evaluate_arrow",
    "evaluate_many",
    "export",
    "model",
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
    overlay: Union[Overlay, StrPath, None] = None,
    max_findings_per_rule: Optional[int] = None,
    max_steps_per_rule: Optional[int] = None,
    limits: Optional[Limits] = None,
    strict: bool = False,
) -> Report:
    """Evaluates ``model`` as of ``as_of`` and returns the report.

    ``tier`` defaults to ``organization.size_tier``; ``rules`` adds pack folders beside the
    embedded default pack; ``overlay`` disables rules or changes severities.

    ``max_findings_per_rule`` (default 1000) is how many findings each rule lists: the others
    are counted in its ``findings_total``, and its ``findings_truncated`` is ``True``.
    ``max_steps_per_rule`` (default 1000000000) is how many evaluation steps each rule (and
    each indicator) may take: a rule that needs more ends in status ``error`` with error code
    ``AIMS-E-BUDGET``, and the others still run. Both are non-negative ints.

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
    overlay: Union[Overlay, StrPath, None] = None,
    max_findings_per_rule: Optional[int] = None,
    max_steps_per_rule: Optional[int] = None,
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
    overlay: Union[Overlay, StrPath, None] = None,
    max_findings_per_rule: Optional[int] = None,
    max_steps_per_rule: Optional[int] = None,
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

def rules() -> List[RuleInfo]:
    """The rules of the embedded default pack."""

def export(
    report: Report,
    format: ExportFormat,
    *,
    model: Optional[ModelSource] = None,
    model_uri: Optional[str] = None,
    limits: Optional[Limits] = None,
) -> str:
    """Renders ``report`` (the dict ``evaluate`` returned) as ``format``: ``"sarif"`` (SARIF
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
    report: Optional[Report] = None,
    limits: Optional[Limits] = None,
) -> str:
    """The process-interaction map of ``model`` (loaded within ``limits``): processes as nodes, inputs and outputs as
    labelled edges, as ``"dot"`` (Graphviz), ``"svg"`` (a self-contained picture) or
    ``"mermaid"`` (a flowchart); the same text as ``aimscheck diagram --format FORMAT``.

    With ``report`` (the dict ``evaluate`` returned for this model), the processes with
    findings of failing rules are marked. Raises ``OptionsError`` for an unknown format,
    ``AimsCheckError`` with code ``AIMS-E-REPORT`` for a ``report`` that is not one (or not this
    model's), and what ``evaluate`` raises for the model.
    """

@final
class Engine:
    """A compiled rule set: the default pack, plus any ``rules`` folders, with an optional
    ``overlay``. Immutable and safe to share between threads; each evaluation releases the GIL.
    """

    def __new__(
        cls,
        rules: Optional[PackDirs] = None,
        overlay: Union[Overlay, StrPath, None] = None,
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
        """The rules this engine evaluates."""

    @property
    def packs(self) -> List[PackInfo]:
        """The rule packs: id, version and digest of each."""
