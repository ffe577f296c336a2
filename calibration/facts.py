"""Facts ledger: a typed, checked view of ``seeds/sources.yaml`` and ``seeds/facts.yaml``.

Calibration turns these facts into targets, so a broken ledger must fail early and point at the
exact file and field to fix, never with a raw pydantic or YAML traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from labelmarket.calibration.errors import CalibrationInputError

SOURCES_FILE = "sources.yaml"
FACTS_FILE = "facts.yaml"

_ID = r"^[a-z][a-z0-9_]*$"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$")
Text = Annotated[str, Field(min_length=1)]
Number = Annotated[float, Field(strict=True)]  # strict: a quoted "14.3e9" is a typo, not a number


class LedgerError(CalibrationInputError):
    """Invalid ledger input, naming the file and field to fix."""


def _as_text(value: Any) -> Any:
    """YAML reads 2025-06-12 as a date and 2025 as an int; keep both as text."""
    if isinstance(value, dt.date) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """One corpus file the ledger cites."""

    file: Text = Field(pattern=r"^[^/\\]+$")  # a bare file name, never a path
    title: Text
    outlet: str | None = None
    period: str | None = None
    period_basis: str | None = None
    language: str = Field(pattern=r"^[a-z]{2}$")

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v: Any) -> Any:
        v = _as_text(v)
        if isinstance(v, str) and not _PERIOD.match(v):
            raise ValueError("period must look like YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn")
        return v


class Fact(_Model):
    """One sourced claim, with a number when calibration can target it."""

    id: str = Field(pattern=_ID)
    statement: Text
    value: Number | None = None
    unit: Text | None = None
    direction: Literal["increase", "decrease", "above", "below", "stable"] | None = None
    date: str | None = None
    entities: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(min_length=1)
    quote_ref: Text
    confidence: Literal["high", "medium", "low"]
    tags: list[Text] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        v = _as_text(v)
        if isinstance(v, str):
            try:  # pad YYYY / YYYY-MM to a full date so the calendar itself checks it
                dt.date.fromisoformat(v + {4: "-01-01", 7: "-01"}.get(len(v), ""))
                ok = bool(_DATE.match(v))
            except ValueError:
                ok = False
            if not ok:
                raise ValueError("date must be a real YYYY, YYYY-MM or YYYY-MM-DD")
        return v

    @model_validator(mode="after")
    def _unit_with_value(self) -> Fact:
        if self.value is not None and self.unit is None:
            raise ValueError("a fact with a value needs a unit")
        return self


class Claim(_Model):
    """One side of a disagreement between sources."""

    statement: Text
    sources: list[Text] = Field(min_length=1)
    fact_id: str | None = None


class Conflict(_Model):
    """A disagreement between sources and how the project resolves it."""

    id: str = Field(pattern=_ID)
    topic: Text
    claims: list[Claim] = Field(min_length=2)
    resolution: Text
    reason: Text


class Ledger(_Model):
    """The whole validated ledger: sources, facts and conflicts."""

    sources: list[Source]
    facts: list[Fact]
    conflicts: list[Conflict] = Field(default_factory=list)

    def fact(self, fact_id: str) -> Fact:
        """Look a fact up by id, so calibration targets can cite facts by name."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


class _SourcesFile(_Model):
    sources: list[Source] = Field(min_length=1)


class _FactsFile(_Model):
    facts: list[Fact] = Field(min_length=1)
    conflicts: list[Conflict] = Field(default_factory=list)


def _read(path: Path, schema: type[_Model]) -> Any:
    """Parse one YAML file into ``schema``, turning every failure into a LedgerError."""
    if not path.is_file():
        raise LedgerError(str(path), "<file>", "file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LedgerError(str(path), "<yaml>", " ".join(str(exc).split())) from None
    if not isinstance(raw, dict):
        keys = ", ".join(schema.model_fields)
        raise LedgerError(str(path), "<root>", f"expected a mapping with keys: {keys}")
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        err, n = exc.errors()[0], exc.error_count()
        loc, msg = err["loc"], err["msg"]
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
        section = raw.get(loc[0]) if loc else None
        if len(loc) >= 2 and isinstance(section, list) and isinstance(loc[1], int):
            item = section[loc[1]]
            if isinstance(item, dict) and "id" in item:
                msg += f" (in {str(loc[0]).rstrip('s')} {item['id']!r})"
        msg += f" (+{n - 1} more)" if n > 1 else ""
        raise LedgerError(str(path), field or "<root>", msg) from None


def load_ledger(seeds_dir: Path, corpus_dir: Path | None = None) -> Ledger:
    """Load and cross-check the ledger so every fact traces back to a real corpus file."""
    src_path, facts_path = Path(seeds_dir) / SOURCES_FILE, Path(seeds_dir) / FACTS_FILE
    sources: list[Source] = _read(src_path, _SourcesFile).sources
    body: _FactsFile = _read(facts_path, _FactsFile)
    corpus = Path(corpus_dir) if corpus_dir is not None else None
    known: set[str] = set()
    for i, s in enumerate(sources):
        if s.file in known:
            raise LedgerError(str(src_path), f"sources[{i}].file", f"duplicate file {s.file!r}")
        known.add(s.file)
        if corpus is not None and corpus.is_dir() and not (corpus / s.file).is_file():
            msg = f"{s.file!r} not found in corpus dir {corpus}"
            raise LedgerError(str(src_path), f"sources[{i}].file", msg)

    def fail(field: str, message: str) -> LedgerError:
        return LedgerError(str(facts_path), field, message)

    seen: set[str] = set()
    items = [(f"facts[{i}]", x) for i, x in enumerate(body.facts)]
    items += [(f"conflicts[{i}]", x) for i, x in enumerate(body.conflicts)]
    for where, item in items:
        if item.id in seen:
            raise fail(f"{where}.id", f"duplicate id {item.id!r}")
        seen.add(item.id)
    cited = [(f"facts[{i}]", f.sources) for i, f in enumerate(body.facts)]
    for i, c in enumerate(body.conflicts):
        for k, claim in enumerate(c.claims):
            where = f"conflicts[{i}].claims[{k}]"
            cited.append((where, claim.sources))
            if claim.fact_id is not None and claim.fact_id not in {f.id for f in body.facts}:
                raise fail(f"{where}.fact_id", f"unknown fact id {claim.fact_id!r}")
    for where, files in cited:
        for j, name in enumerate(files):
            if name not in known:
                msg = f"unknown source {name!r} (not listed in {SOURCES_FILE})"
                raise fail(f"{where}.sources[{j}]", msg)
    return Ledger(sources=sources, facts=body.facts, conflicts=body.conflicts)


def _short(files: list[str]) -> str:
    """Corpus file names carry long hashes; their numeric prefix is enough on screen."""
    return ",".join(f.split("_", 1)[0] for f in files)


def _show_value(f: Fact) -> str:
    """Render value, unit and direction compactly (14.3B USD, 49%, > 100,000 people)."""
    if f.value is None:
        return f.direction or "-"
    v, unit = f.value, f.unit or ""
    if unit == "USD" and abs(v) >= 1e6:
        text = f"{v / 1e9:.4g}B USD" if abs(v) >= 1e9 else f"{v / 1e6:.4g}M USD"
    elif unit == "fraction":
        text = f"{v * 100:.4g}%"
    else:
        text = f"{v:.0f}" if unit == "year" else f"{v:,.6g} {unit}"
    if f.direction in ("above", "below"):
        return {"above": "> ", "below": "< "}[f.direction] + text
    return f"{text} ({f.direction})" if f.direction else text


def _claims(c: Conflict) -> str:
    """One line per claim: the sources behind it, what it says, the fact it maps to."""
    lines = []
    for cl in c.claims:
        ref = f" (fact {cl.fact_id})" if cl.fact_id else ""
        lines.append(f"[{_short(cl.sources)}] {cl.statement}{ref}")
    return "\n".join(lines)


def facts_table(ledger: Ledger, conflicts: bool = False) -> list[dict[str, str]]:
    """Flatten facts (or conflicts) into display-ready string rows for tables and CSV."""
    if conflicts:
        keep = {"id", "topic", "resolution", "reason"}
        return [{**c.model_dump(include=keep), "claims": _claims(c)} for c in ledger.conflicts]
    return [
        {
            "id": f.id,
            "value": _show_value(f),
            "date": f.date or "-",
            "sources": _short(f.sources),
            "confidence": f.confidence,
            "statement": f.statement,
        }
        for f in ledger.facts
    ]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _wrap(text: str, width: int, first: str, rest: str | None = None) -> list[str]:
    rest = " " * len(first) if rest is None else rest
    flat = " ".join(text.split())
    return textwrap.wrap(
        flat, width, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    )


# (row key, header, widest allowed); each column is sized to its content up to that cap.
_COLUMNS = [("id", "ID", 40), ("value", "VALUE", 22), ("date", "DATE", 10)]
_COLUMNS += [("sources", "SOURCES", 20), ("confidence", "CONF", 6)]


def format_facts(ledger: Ledger, conflicts: bool = False, width: int = 100) -> str:
    """Readable fixed-width text of the facts (or only the conflicts) for a terminal."""
    rows = facts_table(ledger, conflicts=conflicts)
    out = [f"Facts ledger: {len(rows)} {'conflicts between sources' if conflicts else 'facts'}", ""]
    if conflicts:
        for r in rows:
            out += _wrap(f"{r['id']}: {r['topic']}", width, "", "    ")
            for claim in r["claims"].splitlines():
                out += _wrap(claim, width, "  - ")
            out += _wrap(r["resolution"], width, "  resolution: ")
            out += [*_wrap(r["reason"], width, "  reason:     "), ""]
    else:
        size = {k: min(cap, max([len(h), *(len(r[k]) for r in rows)])) for k, h, cap in _COLUMNS}

        def line(cells: dict[str, str]) -> str:
            return "  ".join(_cut(cells[k], n).ljust(n) for k, n in size.items()).rstrip()

        out += [line({k: h for k, h, _ in _COLUMNS}), line({k: "-" * n for k, n in size.items()})]
        for r in rows:
            out += [line(r), *_wrap(r["statement"], width, "    ")]
        out.append("")
    out.append("Sources:")
    out += [_cut(f"  {_short([s.file])}  {s.file}  {s.title}", width) for s in ledger.sources]
    return "\n".join(out)
