"""The Solara page behind `labelmarket dashboard`: one market per browser session.

`solara run labelmarket/dashboard/app.py` serves `Page`; the scenario and the baseline come
from $LABELMARKET_DASHBOARD_SCENARIO and $LABELMARKET_DASHBOARD_BASELINE (set by the
command). A bar on top steps, plays and resets the market; the charts (Vega-Lite, values on
hover) fill a two-column grid that fits a 1280 x 720 window; the controls (the baseline,
the band, the seed, the parameters) sit on the left, and under the charts below 1,000 px,
so nothing covers a chart. Nothing on the page is fetched from outside the machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import solara

from labelmarket.bundled import scenario_names, scenarios_dir
from labelmarket.dashboard.model import BASELINE_ENV, Control, scenario_path
from labelmarket.dashboard.session import BANDS, Session, default_baseline
from labelmarket.dashboard.vega import VegaChart
from labelmarket.model.charts.style import vendor_colours

NONE = "none"
PLAY_PAUSE_S = 0.05  # between months while playing, so the page keeps up
CSS = """
.v-application { font-size: 15px; }
.v-application .v-content { padding: 0 !important; }
.lm-top { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px;
  padding: 6px 12px; border-bottom: 1px solid #ddd; background: #fafafa; }
.lm-top h1 { font-size: 1.15rem; margin: 0; font-weight: 600; }
.lm-status { font-size: 1rem; }
.lm-time { color: #555; font-size: 0.85rem; }
.lm-page { display: grid; grid-template-columns: 290px minmax(0, 1fr); gap: 10px; padding: 8px; }
.lm-controls { grid-column: 1; grid-row: 1; max-height: calc(100vh - 70px); overflow-y: auto; }
.lm-charts { grid-column: 2; grid-row: 1; display: grid;
  grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; align-content: start; }
.lm-card { border: 1px solid #e2e2e2; border-radius: 4px; padding: 6px 8px; min-width: 0; }
.lm-legend span { display: inline-block; margin-right: 1rem; font-size: 0.9rem; }
.lm-legend i { display: inline-block; width: 14px; height: 14px; margin-right: 0.3rem;
  vertical-align: -2px; border-radius: 2px; }
.lm-legend .lm-dash { height: 0; border-top: 3px dashed #555; border-radius: 0; width: 22px; }
.lm-legend .lm-solid { height: 0; border-top: 3px solid #555; border-radius: 0; width: 22px; }
.lm-control { margin-bottom: 0.3rem; }
.lm-meaning { color: #555; font-size: 0.8rem; line-height: 1.2; }
.lm-events { margin: 0; padding-left: 1.1rem; font-size: 0.9rem; }
@media (max-width: 1000px) {
  .lm-page { grid-template-columns: minmax(0, 1fr); }
  .lm-charts { grid-column: 1; grid-row: 1; grid-template-columns: minmax(0, 1fr); }
  .lm-controls { grid-column: 1; grid-row: 2; max-height: none; }
}
"""


def _choices(session: Session) -> dict[str, Path | None]:
    """Baselines on offer: none, the one given, every bundled scenario but this one."""
    out: dict[str, Path | None] = {NONE: None}
    if session.baseline_path is not None:
        out[session.baseline_path.stem] = session.baseline_path
    for name in scenario_names():
        path = scenarios_dir() / f"{name}.yaml"
        if path.resolve() != session.path.resolve():
            out.setdefault(name, path)
    return out


@solara.component
def ControlSlider(control: Control, value: float, on_value) -> None:
    """A slider with its value and unit written out and its meaning underneath."""
    with solara.Div(classes=["lm-control"]):
        solara.HTML(tag="div", unsafe_innerHTML=f"{control.label}: <b>{control.shown(value)}</b>")
        slider = solara.SliderInt if float(control.step).is_integer() else solara.SliderFloat
        slider(
            label="",
            value=value,
            min=control.low,
            max=control.high,
            step=control.step,
            on_value=on_value,
            thumb_label=False,
        )
        solara.HTML(tag="div", unsafe_innerHTML=control.meaning, classes=["lm-meaning"])


@solara.component
def TopBar(session: Session, playing: solara.Reactive[bool], bump, version: int) -> None:
    """Title, Step / Play / Reset, the month shown and what the last action cost (`version`
    changes after each action, so the bar redraws)."""

    def step() -> None:
        session.step()
        bump(lambda v: v + 1)

    def reset() -> None:
        playing.set(False)
        session.reset()
        bump(lambda v: v + 1)

    model = session.model
    with solara.Div(classes=["lm-top"]):
        solara.HTML(tag="h1", unsafe_innerHTML=f"labelmarket: {model.spec.name}")
        solara.Button("Step", on_click=step, disabled=playing.value or session.done)
        solara.Button(
            "Pause" if playing.value else "Play",
            on_click=lambda: playing.set(not playing.value),
            disabled=session.done and not playing.value,
        )
        solara.Button("Reset", on_click=reset)
        shown = model.months_stepped
        month = f"{model.dates[shown - 1]:%B %Y}" if shown else f"start ({model.dates[0]:%B %Y})"
        solara.HTML(
            tag="span",
            classes=["lm-status"],
            unsafe_innerHTML=(
                f"{month}: step <span class='lm-step'>{shown}</span> of {model.world.months}"
            ),
        )
        solara.HTML(tag="span", classes=["lm-time"], unsafe_innerHTML=_timing(session))


def _timing(session: Session) -> str:
    """What the last action cost, on the server (the browser adds its drawing)."""
    t = session.timing
    if session.last == "overlay":
        return f"baseline and band: <span class='lm-overlay-time'>{t['overlay']:.2f}</span> s"
    what = "last step" if session.last == "step" else "re-run (a control moved)"
    return (
        f"{what}: <span class='lm-step-time'>{t['model'] + t['charts']:.3f}</span> s "
        f"(model {t['model']:.3f} s, chart rows {t['charts']:.3f} s)"
    )


@solara.component
def Overlays(session: Session, bump, version: int) -> None:
    """The baseline drawn beside the scenario and the band's replicates."""
    choices = _choices(session)
    current = session.baseline_name or NONE

    def baseline(name: str) -> None:
        session.overlay(choices.get(name), session.band)
        bump(lambda v: v + 1)

    def band(text: str) -> None:
        session.overlay(session.baseline_path, int(text.split()[0]) if text != NONE else 0)
        bump(lambda v: v + 1)

    with solara.Card("Compare", classes=["lm-overlays"]):
        solara.Select(
            label="Baseline (dashed)", values=list(choices), value=current, on_value=baseline
        )
        bands = [NONE if n == 0 else f"{n} replicates" for n in BANDS]
        shown = NONE if session.band == 0 else f"{session.band} replicates"
        solara.Select(label="Band: 5-95% over", values=bands, value=shown, on_value=band)
        solara.HTML(
            tag="div",
            classes=["lm-meaning"],
            unsafe_innerHTML=(
                "The same seeds run in the baseline, so the gap between a solid line and its "
                "dashed twin is the scenario's effect, not chance."
            ),
        )


@solara.component
def Parameters(session: Session, bump, values: tuple) -> None:
    """Every control; redrawn only when a value changes (`values`), not at every step."""
    with solara.Card("Parameters"):
        solara.HTML(
            tag="div",
            classes=["lm-meaning"],
            unsafe_innerHTML=(
                "Moving a slider re-runs the market with the new value up to the month shown; "
                "Reset goes back to the first month."
            ),
        )
        for control in session.controls:

            def change(value, name=control.name) -> None:
                session.set(name, value)
                bump(lambda v: v + 1)

            ControlSlider(control, session.values[control.name], change)


def _legend(session: Session) -> str:
    """Vendor colours, and which line is which scenario."""
    colours = vendor_colours(session.model.world.vendors)
    items = [f"<span><i style='background:{c}'></i>{v}</span>" for v, c in colours.items()]
    items.append(f"<span><i class='lm-solid'></i>{session.model.spec.name}</span>")
    if session.base is not None:
        items.append(f"<span><i class='lm-dash'></i>{session.baseline_name}</span>")
    if session.band > 1:
        items.append(f"<span><i style='background:#ccc'></i>5-95% of {session.band}</span>")
    return "".join(items)


def _events(session: Session) -> str:
    """The scheduled events with their (slider-set) months, past ones marked."""
    model = session.model
    shown = model.months_stepped
    items = []
    for when, label in model.event_marks():
        state = "fired" if list(model.dates).index(when) < shown else "to come"
        items.append(f"<li><b>{when:%Y-%m}</b> {label or '(unlabelled)'} ({state})</li>")
    return f"<ul class='lm-events'>{''.join(items) or '<li>none</li>'}</ul>"


@solara.component
def Page() -> None:
    """The dashboard: one session's market, its overlays, its controls and its charts."""
    path = scenario_path()
    given = os.environ.get(BASELINE_ENV)
    baseline = Path(given) if given else default_baseline(path)
    session = solara.use_memo(lambda: Session(path, baseline), [])
    version, set_version = solara.use_state(0)
    playing = solara.use_reactive(False)

    def play() -> None:
        while playing.value and not session.done:
            session.step()
            set_version(lambda v: v + 1)
            time.sleep(PLAY_PAUSE_S)
        playing.set(False)

    solara.use_thread(play, dependencies=[playing.value])
    solara.Title(f"labelmarket dashboard: {session.model.spec.name}")
    solara.Style(CSS)
    TopBar(session, playing, set_version, version)
    with solara.Div(classes=["lm-page"]):
        with solara.Div(classes=["lm-charts"]):
            for name in ("share", "workforce", "allocation"):
                with solara.Div(classes=["lm-card", f"lm-{name}"]):
                    VegaChart.element(spec=session.specs[name], rows=session.rows[name])
            with solara.Div(classes=["lm-card"]):
                solara.HTML(tag="div", classes=["lm-legend"], unsafe_innerHTML=_legend(session))
                solara.HTML(tag="div", unsafe_innerHTML="<b>Scheduled events</b>")
                solara.HTML(tag="div", unsafe_innerHTML=_events(session))
        with solara.Div(classes=["lm-controls"]):
            Overlays(session, set_version, version)
            Parameters(session, set_version, tuple(session.values.items()))
