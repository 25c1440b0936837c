"""Output records, field for field as ../shared/CONTRACT.md defines them.

Each record has ``to_dict()`` giving the JSON object the contract describes. Money is
held as :class:`decimal.Decimal` and written as a string with two decimals; target
numbers are written as JSON numbers (integers when integral).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

TargetOp = Literal["≥", "≤", ">", "<", "=", "~", "qual"]
Approx = Literal["exact", "about", "at_least", "at_most"]
UnitSource = Literal["text", "table", "context"]
Kind = Literal["target", "actual"]
Status = Literal["ok", "error", "skipped"]

CENT = Decimal("0.01")


def money_str(value: Decimal | None) -> str | None:
    """Format a yuan amount as the contract's decimal string ("7461000.00")."""
    if value is None:
        return None
    text = format(value.quantize(CENT), "f")
    return "0.00" if text == "-0.00" else text


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: int when integral, else float."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


@dataclass(frozen=True, slots=True)
class Target:
    """A normalized target value (CONTRACT.md "Target")."""

    raw: str
    text: str
    op: TargetOp
    value: Decimal | None = None
    value_max: Decimal | None = None
    unit: str | None = None
    qualitative: str | None = None
    repaired: bool = False
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object."""
        return {
            "raw": self.raw,
            "text": self.text,
            "op": self.op,
            "value": json_number(self.value),
            "value_max": json_number(self.value_max),
            "unit": self.unit,
            "qualitative": self.qualitative,
            "repaired": self.repaired,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Money:
    """A parsed monetary amount (the amount fields of CONTRACT.md)."""

    text: str
    value: Decimal
    value_max: Decimal | None = None
    currency: str = "CNY"
    approx: Approx = "exact"
    unit_source: UnitSource = "text"

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON fields for an amount (without doc/source)."""
        return {
            "text": self.text,
            "value": money_str(self.value),
            "value_max": money_str(self.value_max),
            "currency": self.currency,
            "approx": self.approx,
            "unit_source": self.unit_source,
        }


# Slot setters of Money, for money_written_cny: a frozen dataclass's __init__ makes
# one object.__setattr__ call a field, a third of parse_money's time on table cells.
_NEW = object.__new__
_SET_MONEY = tuple(
    getattr(Money, name).__set__
    for name in ("text", "value", "value_max", "currency", "approx", "unit_source")
)


def money_written_cny(text: str, value: Decimal) -> Money:
    """``Money(text, value)``, built by setting its slots directly.

    The record is the same (equal, hashable, frozen); only construction is faster.
    """
    money = _NEW(Money)
    set_text, set_value, set_max, set_currency, set_approx, set_source = _SET_MONEY
    set_text(money, text)
    set_value(money, value)
    set_max(money, None)
    set_currency(money, "CNY")
    set_approx(money, "exact")
    set_source(money, "text")
    return money


@dataclass(frozen=True, slots=True)
class AmountSpan:
    """A money mention found in running text.

    Attributes:
        start: offset of the first character of the mention in the searched text.
        end: offset after its last character (half-open).
        money: the parsed amount; ``money.text`` equals ``text[start:end]``.
        subject: the item named just before the amount in its sentence, if any.
    """

    start: int
    end: int
    money: Money
    subject: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The mention as JSON: offsets, subject and the Money fields."""
        return {
            "start": self.start,
            "end": self.end,
            "subject": self.subject,
            **self.money.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record was found (CONTRACT.md "Source").

    ``bbox`` is an addition to the contract: (x0, top, x1, bottom) in points.
    """

    text: str
    page: int | None = None
    table: int | None = None
    row: int | None = None
    span: tuple[int, int] | None = None
    bbox: tuple[float, float, float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object."""
        out: dict[str, Any] = {
            "page": self.page,
            "table": self.table,
            "row": self.row,
            "span": list(self.span) if self.span is not None else None,
            "text": self.text,
        }
        if self.bbox is not None:
            out["bbox"] = [round(v, 2) for v in self.bbox]
        return out


@dataclass(frozen=True, slots=True)
class Indicator:
    """One performance indicator (CONTRACT.md "indicator").

    ``target_period`` is a row's 实施周期 value beside its 年度 ``target``;
    ``actual`` a 自评 row's achieved value (实际完成值) beside its target;
    ``project_code`` the code printed with the project's name (301007);
    ``notes`` (an addition to the contract) say what a repair of an OCR misreading
    changed, such as a level name read with one wrong character.
    """

    doc: str
    metric: str
    source: Source
    project: str | None = None
    level1: str | None = None
    level2: str | None = None
    level1_norm: str | None = None
    level2_norm: str | None = None
    target_raw: str | None = None
    target: Target | None = None
    confidence: float = 1.0
    kind: Kind = "target"
    target_period: Target | None = None
    actual: Target | None = None
    project_code: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object."""
        return {
            "doc": self.doc,
            "project": self.project,
            "project_code": self.project_code,
            "level1": self.level1,
            "level2": self.level2,
            "level1_norm": self.level1_norm,
            "level2_norm": self.level2_norm,
            "metric": self.metric,
            "target_raw": self.target_raw,
            "target": self.target.to_dict() if self.target else None,
            "target_period": (
                self.target_period.to_dict() if self.target_period else None
            ),
            "actual": self.actual.to_dict() if self.actual else None,
            "source": self.source.to_dict(),
            "confidence": round(float(self.confidence), 4),
            "kind": self.kind,
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True)
class Amount:
    """One monetary amount found in a document (CONTRACT.md "amount").

    ``flags`` and ``notes`` are additions to the contract: flags name checks the
    amount failed or was repaired by (``sum-mismatch``, ``sum-repaired``, see
    :mod:`nlp.sums`), notes say what a repair changed.
    """

    doc: str
    money: Money
    source: Source
    subject: str | None = None
    column: str | None = None
    flags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object."""
        return {
            "doc": self.doc,
            **self.money.to_dict(),
            "subject": self.subject,
            "column": self.column,
            "source": self.source.to_dict(),
            "flags": list(self.flags),
            "notes": list(self.notes),
        }


RULES_ONLY = "rules only"


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """The outcome for one input (a line of documents.jsonl).

    Attributes:
        doc: the input's path relative to the inputs' common root.
        status: "ok", "error" or "skipped".
        error: a message naming the file and the problem, for "error"/"skipped".
        pages: number of pages, for paginated inputs.
        seconds: wall time for the whole document.
        format: the reader used.
        timings: seconds per stage.
        checks: names of consistency checks that flagged something, with counts.
        ocr_pages: pages whose text came from OCR.
        indicators: number of indicator records written.
        amounts: number of amount records written.
        model: the narrative model the document was extracted with, as
            ``(("name", …), ("version", …), ("sha256", …))``, or ``"rules only"``;
            None when extraction did not get that far (the key is then left out
            of documents.jsonl).
    """

    doc: str
    status: Status
    error: str | None = None
    pages: int | None = None
    seconds: float | None = None
    format: str | None = None
    timings: tuple[tuple[str, float], ...] = ()
    checks: tuple[tuple[str, int], ...] = ()
    ocr_pages: int = 0
    indicators: int = 0
    amounts: int = 0
    model: tuple[tuple[str, str], ...] | str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON object written to documents.jsonl."""
        record = {
            "doc": self.doc,
            "status": self.status,
            "error": self.error,
            "pages": self.pages,
            "seconds": round(self.seconds, 4) if self.seconds is not None else None,
            "format": self.format,
            "timings": {k: round(v, 4) for k, v in self.timings},
            "checks": dict(self.checks),
            "ocr_pages": self.ocr_pages,
            "indicators": self.indicators,
            "amounts": self.amounts,
        }
        if self.model is not None:
            record["model"] = (
                self.model if isinstance(self.model, str) else dict(self.model)
            )
        return record


@dataclass(frozen=True, slots=True)
class Result:
    """Everything extracted from one document."""

    document: DocumentRecord
    indicators: tuple[Indicator, ...] = ()
    amounts: tuple[Amount, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """All three record kinds as JSON-ready lists."""
        return {
            "document": self.document.to_dict(),
            "indicators": [i.to_dict() for i in self.indicators],
            "amounts": [a.to_dict() for a in self.amounts],
        }
