#!/usr/bin/env bash
# The refit, in one command (from a source checkout with its .venv): bash calibration/refit.sh [SEED]
#
# 1. the fit with its audit: scenarios/calibrated.yaml and scenarios/calibrated.posterior.parquet
#    (shipped as package data: `labelmarket run calibrated --posterior` reads it), the fit
#    report (targets' coverage, consistency checks, headline answers) and the interpretation
#    refits (interpretations.md, survival.csv), all in runs/calibration/
# 2. leave-one-out (runs/calibration-loo/leave_one_out.md)
# 3. simulation-based calibration of the fit, two independent runs (runs/calibration/sbc.md, sbc100.md)
# 4. what a posterior ensemble costs against a plain run (runs/calibration/posterior_cost.txt)
# Every step resumes where it stopped if run again with RESUME=1 (steps 1-2 have checkpoints).
# The README's calibration figures come from these files.
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${1:-2025}
LM=${LM:-.venv/bin/labelmarket}
PY=${PY:-.venv/bin/python}
REFIT_BUDGET=${REFIT_BUDGET:-300000}  # cap per interpretation refit and leave-one-out fit (each stops at the tolerance)
AGAIN=$([ "${RESUME:-0}" = 1 ] && echo --resume || echo --force)

$LM calibrate --seed "$SEED" --out runs/calibration $AGAIN \
  --scenario-out scenarios/calibrated.yaml --interpretations --interpretation-budget "$REFIT_BUDGET"
$LM calibrate --leave-one-out --budget "$REFIT_BUDGET" --seed "$SEED" --out runs/calibration-loo $AGAIN
$PY benchmarks/bench_sbc.py --datasets 60 --budget 80000 --population 200 --seed "$SEED" | tee runs/calibration/sbc.md
$PY benchmarks/bench_sbc.py --datasets 100 --budget 80000 --population 200 --seed "$((SEED + 1))" | tee runs/calibration/sbc100.md
$PY benchmarks/bench_posterior.py --replicates 1000 | tee runs/calibration/posterior_cost.txt
echo "README figures: runs/calibration/{fit_report.md,interpretations.md,survival.csv,sbc.md,sbc100.md,posterior_cost.txt}"
echo "                runs/calibration-loo/leave_one_out.md"
