"""The target audit: every target's words found in its article, and the audit table.

`check_phrases` looks each evidence phrase up in the corpus file it names (apostrophes and
spaces compared loosely, nothing else), so a pointer cannot drift from the text it claims
to quote. `audit_markdown` is the table the fit report opens with: for each target, its
role, how its number was read, the phrase and its gloss, and the alternatives an
interpretation is refitted with.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from labelmarket.calibration.errors import CalibrationInputError

if TYPE_CHECKING:  # targets.py checks phrases with this module: the types only
    from labelmarket.calibration.targets import Target

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " ", "\u202f": " "})


def normalise(text: str) -> str:
    """Text compared for quoting: typographic apostrophes and spaces made plain, runs of
    white space made one space."""
    return re.sub(r"\s+", " ", text.translate(_APOSTROPHES)).strip()


def check_phrases(path: Path, targets: list[Target], corpus: Path) -> None:
    """Raise CalibrationInputError for a phrase its article does not contain."""
    texts: dict[str, str] = {}
    for i, t in enumerate(targets):
        for k, e in enumerate(t.spec.evidence):
            if e.file not in texts:
                file = corpus / e.file
                texts[e.file] = (
                    normalise(file.read_text(encoding="utf-8")) if file.is_file() else ""
                )
            if normalise(e.phrase) not in texts[e.file]:
                raise CalibrationInputError(
                    str(path),
                    f"targets[{i}] ({t.id}).evidence[{k}].phrase",
                    f"'{e.phrase}' is not in {corpus / e.file}",
                )


def _role(t: Target) -> str:
    if not t.fitted:
        return "check"
    return "fit, vs no stake" if t.spec.consequence else "fit"


def audit_rows(targets: list[Target]) -> list[dict]:
    """One row per target: role, number kind, observed, evidence, reading, alternatives."""
    rows = []
    for t in targets:
        words = "; ".join(
            f'{e.file.split("_", 1)[0]}: "{e.phrase}" ({e.gloss})' for e in t.spec.evidence
        )
        alts = t.spec.alternatives
        rows.append(
            {
                "target": t.id,
                "role": _role(t),
                "number": t.spec.number,
                "observed": f"{t.describe_observed()} {t.spec.unit}".strip(),
                "evidence": words,
                "reading": t.spec.construction or t.spec.reading or "",
                "alternatives": f"weaker {alts[0]:g}, stronger {alts[1]:g}" if alts else "",
            }
        )
    return rows


def audit_markdown(targets: list[Target]) -> str:
    """The audit as a Markdown table (the fit report's first table)."""
    lines = [
        "| target | role | number | observed | words it rests on | reading | alternatives |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in audit_rows(targets):
        cells = [r[k].replace("|", "/") for k in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
