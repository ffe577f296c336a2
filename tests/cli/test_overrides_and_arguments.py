"""Bad `--set` overrides and bad command-line arguments: one clear message, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import (
    HISTORICAL,
    INVESTMENT,
    assert_bad_input,
    assert_nothing_written,
    call_main,
    run_cli,
)

# ------------------------------------------------------------------------ --set errors

SET_CASES: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "unknown-vendor-in-path",
        "vendors.Scale.price.expert=80",
        ("--set", "vendors.Scale", "no item 'Scale'", "did you mean 'Scale AI'", "allowed:"),
    ),
    (
        "unknown-client-in-path",
        "clients.Gogle.budget=1",
        ("--set", "clients.Gogle", "did you mean 'Google'"),
    ),
    (
        "unknown-field-in-path",
        "vendors.Scale AI.pric.expert=80",
        ("vendors[Scale AI].pric", "did you mean 'price'"),
    ),
    (
        "value-fails-validation",
        "vendors.Scale AI.price.expert=-3",
        ("vendors[Scale AI].price.expert", "greater than or equal to 0.01"),
    ),
    (
        "value-wrong-type",
        "clients.Google.budget=lots",
        ("clients[Google].budget", "valid number"),
    ),
    (
        "event-month-outside",
        f"events.{INVESTMENT}.month=2031-01",
        (f"events[{INVESTMENT}].month", "outside the horizon"),
    ),
    (
        "event-index-out-of-range",
        "events.99.month=2025-01",
        ("--set", "events.99", "no item '99'"),
    ),
    (
        "without-equals",
        "vendors.Scale AI.price.expert",
        ("--set", "expected --set path.to.field=value"),
    ),
    ("empty-path", "=3", ("--set", "expected --set path.to.field=value")),
    (
        "whole-list-item",
        "vendors.Scale AI=3",
        ("--set", "name an item of the list, then a field"),
    ),
]


@pytest.mark.parametrize(
    ("assignment", "fragments"), [c[1:] for c in SET_CASES], ids=[c[0] for c in SET_CASES]
)
def test_bad_set(
    assignment: str,
    fragments: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    args = ["run", str(HISTORICAL), "--set", assignment, "--out", str(out), "-n", "1"]
    code, _, err = call_main(args, capsys)
    assert_bad_input(code, err, "historical.yaml", *fragments)
    assert_nothing_written(out)
    code, _, err = call_main(["validate", str(HISTORICAL), "--set", assignment], capsys)
    assert_bad_input(code, err, "historical.yaml", *fragments)


def test_bad_set_in_subprocess(tmp_path: Path) -> None:
    proc = run_cli(
        ["run", str(HISTORICAL), "--set", "vendors.Scale.price.expert=80", "--out", "out"],
        cwd=tmp_path,
    )
    assert_bad_input(proc.returncode, proc.stderr, "historical.yaml", "did you mean 'Scale AI'")
    assert_nothing_written(tmp_path / "out")
    proc = run_cli(["validate", str(HISTORICAL), "--set", "market.observation_noise"], tmp_path)
    assert_bad_input(proc.returncode, proc.stderr, "expected --set path.to.field=value")


@pytest.mark.parametrize(
    "assignment", ["name.x=3", "market.observation_noise.x=1", "vendors.Scale AI.name.x=1"]
)
def test_set_below_a_plain_value(
    assignment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, _, err = call_main(
        ["run", str(HISTORICAL), "--set", assignment, "--out", str(out)], capsys
    )
    assert_bad_input(code, err, "historical.yaml", "--set")
    assert_nothing_written(out)


# ------------------------------------------------------------- command-line arguments


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--seed", "-1"], "--seed"),
        (["--replicates", "0"], "--replicates"),
        (["--workers", "two"], "--workers"),
    ],
)
def test_bad_arguments(
    args: list[str], fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as refused:  # argparse's own refusal, exit code 2
        call_main(["run", str(HISTORICAL), "--out", str(out), *args], capsys)
    assert_bad_input(refused.value.code, capsys.readouterr().err, fragment)
    assert_nothing_written(out)
