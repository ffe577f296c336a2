"""The Solara page behind `labelmarket dashboard`: one market per browser session, live charts.

`solara run labelmarket/dashboard/app.py` serves `Page`; the scenario comes from
$LABELMARKET_DASHBOARD_SCENARIO (set by the command). Every browser session builds its own
`DashboardModel` (a Mesa model) when the page opens, so two readers never step each other's
market. Controls sit in the sidebar with their values and units; moving one re-runs the
market with the new value up to the month shown, so its effect is seen at once. Charts are
PNGs drawn with the shared chart style (`labelmarket.dashboard.charts`); nothing on the page
is fetched from outside the machine.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import solara

from labelmarket.dashboard.charts import DashboardCharts, month_label
from labelmarket.dashboard.model import Control, DashboardModel, controls, scenario_path
from labelmarket.model.charts.style import vendor_colours

PLAY_PAUSE_S = 0.05  # between months while playing, so the page keeps up
CSS = """
.v-application { font-size: 16px; }
.lm-status { font-size: 1.05rem; margin: 0.2rem 0 0.6rem; }
.lm-legend span { display: inline-block; margin-right: 1.2rem; font-size: 0.95rem; }
.lm-legend i { display: inline-block; width: 14px; height: 14px; margin-right: 0.35rem;
  vertical-align: -2px; border-radius: 2px; }
.lm-control { margin-bottom: 0.4rem; }
.lm-control b { font-weight: 600; }
.lm-meaning { color: #666; font-size: 0.8rem; line-height: 1.2; }
img.lm-chart, .lm-chart img { width: 100%; height: auto; }
.lm-events li { margin-bottom: 0.2rem; }
"""


class Session:
    """One browser session's market: its control values, its model and its latest charts."""

    def __init__(self, path: Path):
        self.path = path
        self.controls = controls(path)
        self.values = {c.name: c.value for c in self.controls}
        self.lock = threading.Lock()
        self.timing = {"model": 0.0, "charts": 0.0}
        self.last = "step"  # what the timing measured: a step, or a re-run after a control moved
        self.model = self._build()
        self.images = self._draw()

    def _build(self) -> DashboardModel:
        """A fresh model at the first month with the current values, and its charts."""
        values = {k: (int(v) if k == "seed" or k.startswith("event_") else v)
                  for k, v in self.values.items()}  # fmt: skip
        model = DashboardModel(scenario_file=str(self.path), **values)
        self.charts = DashboardCharts(model)
        return model

    def _draw(self) -> dict[str, bytes]:
        """Every chart for the month shown, timed."""
        started = time.perf_counter()
        images = self.charts.render(self.model)
        self.timing["charts"] = time.perf_counter() - started
        return images

    @property
    def done(self) -> bool:
        """True once the last month of the scenario has been simulated."""
        return len(self.model.records) >= self.model.world.months

    def step(self) -> None:
        """Simulate one more month and redraw."""
        with self.lock:
            if self.done:
                return
            started = time.perf_counter()
            self.model.step()
            self.timing["model"] = time.perf_counter() - started
            self.images = self._draw()
            self.last = "step"

    def reset(self) -> None:
        """Back to the first month with the current values."""
        with self.lock:
            self.model = self._build()
            self.images = self._draw()

    def set(self, name: str, value: float) -> None:
        """Change one control and re-run the market to the month shown with the new value."""
        with self.lock:
            shown = len(self.model.records)
            self.values[name] = value
            started = time.perf_counter()
            self.model = self._build()
            for _ in range(shown):
                self.model.step()
            self.timing["model"] = time.perf_counter() - started
            self.images = self._draw()
            self.last = "re-run"


@solara.component
def ControlSlider(control: Control, value: float, on_value) -> None:
    """A slider with its value and unit written out and its meaning underneath."""
    with solara.Div(classes=["lm-control"]):
        solara.HTML(tag="div", unsafe_innerHTML=f"{control.label}: <b>{control.shown(value)}</b>")
        slider = solara.SliderInt if float(control.step).is_integer() else solara.SliderFloat
        slider(label="", value=value, min=control.low, max=control.high, step=control.step,
               on_value=on_value, thumb_label=False)  # fmt: skip
        solara.HTML(tag="div", unsafe_innerHTML=control.meaning, classes=["lm-meaning"])


@solara.component
def RunCard(session: Session, playing: solara.Reactive[bool], bump, version: int) -> None:
    """Step, Play/Pause, Reset and the last step's time (`version` changes after each step)."""

    def step() -> None:
        session.step()
        bump(lambda v: v + 1)

    def reset() -> None:
        playing.set(False)
        session.reset()
        bump(lambda v: v + 1)

    with solara.Card("Run"):
        with solara.Row():
            solara.Button("Step", on_click=step, disabled=playing.value or session.done)
            solara.Button("Pause" if playing.value else "Play",
                          on_click=lambda: playing.set(not playing.value),
                          disabled=session.done and not playing.value)  # fmt: skip
            solara.Button("Reset", on_click=reset)
        t = session.timing
        what = "Last step" if session.last == "step" else "Last re-run (a control moved)"
        text = (
            f"{what}: <span class='lm-step-time'>{t['model'] + t['charts']:.2f}</span> s "
            f"(model {t['model']:.3f} s, charts {t['charts']:.2f} s)"
            if session.model.records
            else "Step or Play simulates the next month."
        )
        solara.HTML(tag="div", unsafe_innerHTML=text, classes=["lm-meaning"])


@solara.component
def Parameters(session: Session, bump, values: tuple) -> None:
    """Every control; redrawn only when a value changes (`values`), not at every step."""
    with solara.Card("Parameters"):
        solara.HTML(
            tag="div",
            unsafe_innerHTML="Moving a slider re-runs the market with the new value up to the "
            "month shown; Reset goes back to the first month.",
            classes=["lm-meaning"],
        )
        for control in session.controls:

            def change(value, name=control.name) -> None:
                session.set(name, value)
                bump(lambda v: v + 1)

            ControlSlider(control, session.values[control.name], change)


def _legend(session: Session) -> str:
    """One entry per vendor, in the charts' colours."""
    colours = vendor_colours(session.model.world.vendors)
    return "".join(f"<span><i style='background:{c}'></i>{v}</span>" for v, c in colours.items())


def _events(session: Session) -> str:
    """The scheduled events with their (slider-set) months, past ones marked."""
    model = session.model
    shown = len(model.records)
    items = []
    for when, label in model.event_marks():
        index = list(model.dates).index(when)
        state = "fired" if index < shown else "to come"
        items.append(f"<li><b>{when:%Y-%m}</b> {label or '(unlabelled)'} ({state})</li>")
    return f"<ul class='lm-events'>{''.join(items) or '<li>none</li>'}</ul>"


@solara.component
def Page() -> None:
    """The dashboard: one session's market, its controls and three live charts."""
    session = solara.use_memo(lambda: Session(scenario_path()), [])
    version, set_version = solara.use_state(0)
    playing = solara.use_reactive(False)

    def refresh() -> None:
        set_version(lambda v: v + 1)

    def play() -> None:
        while playing.value and not session.done:
            session.step()
            refresh()
            time.sleep(PLAY_PAUSE_S)
        playing.set(False)

    solara.use_thread(play, dependencies=[playing.value])
    model = session.model
    solara.Title(f"labelmarket dashboard: {model.spec.name}")
    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(f"labelmarket: {model.spec.name}")
    with solara.Sidebar():
        RunCard(session, playing, set_version, version)
        Parameters(session, set_version, tuple(session.values.items()))
    status = (
        f"<b>{model.spec.name}</b>, {month_label(model)}: step <span class='lm-step'>"
        f"{len(model.records)}</span> of {model.world.months}"
    )
    solara.HTML(tag="div", unsafe_innerHTML=status, classes=["lm-status"])
    solara.HTML(tag="div", unsafe_innerHTML=_legend(session), classes=["lm-legend"])
    with solara.Columns([1, 1]):
        for name in ("market share", "workforce"):
            solara.Image(session.images[name], classes=["lm-chart", f"lm-{name.replace(' ', '-')}"])
    with solara.Columns([1, 1]):
        solara.Image(session.images["allocation"], classes=["lm-chart", "lm-allocation"])
        with solara.Card("Scheduled events"):
            solara.HTML(tag="div", unsafe_innerHTML=_events(session))
