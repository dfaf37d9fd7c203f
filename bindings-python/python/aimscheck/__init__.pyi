# Typed API of the aimscheck package (the native functions and class live in aimscheck._native).
from typing import Any, Callable, Iterable, List, Optional, Tuple, Union, final

from aimscheck._errors import (
    AimsCheckError as AimsCheckError,
    LimitError as LimitError,
    ModelError as ModelError,
    OptionsError as OptionsError,
    RulePackError as RulePackError,
)
from aimscheck._types import (
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
    Report as Report,
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
    "evaluate_many",
    "export",
    "rules",
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

def validate_model(model: ModelSource, *, limits: Optional[Limits] = None) -> List[ErrorDetail]:
    """Loads ``model`` within ``limits`` (see ``Limits``) and returns every issue found: an
    empty list when it is valid. A limit exceeded is one issue with code ``AIMS-E-LIMIT``;
    ``limits`` itself invalid raises ``OptionsError``."""

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
        jobs: Optional[int] = None,
        names: Optional[Iterable[str]] = None,
    ) -> List[Union[Report, Exception]]:
        """Evaluates every model of ``models`` in parallel and returns a list in input order:
        each model's report, or the exception ``evaluate`` would raise for it (returned, not
        raised); the options are those of ``aimscheck.evaluate_many``."""

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
