"""Batch scoring (vectorised) gives exactly the run-time answers; the CLI writes ID,pd,score,grade,reasons."""

import csv
import random
import subprocess
import sys
from pathlib import Path

import numpy as np

from chalicelib.scoring.features import BILL, PAID, PAY, features
from chalicelib.scoring.model import RiskModel
from ml.batch import BatchScorer

ROOT = Path(__file__).resolve().parents[2]


def synthetic_rows(n: int, seed: int = 7) -> list[dict[str, float]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        limit = rng.choice([10_000, 50_000, 120_000, 300_000])
        row = {"ID": float(i + 1), "LIMIT_BAL": float(limit)}
        row.update({p: float(rng.choice([-2, -1, -1, 0, 0, 0, 1, 2, 3])) for p in PAY})
        row.update({b: float(rng.randint(-500, limit)) for b in BILL})
        row.update({p: float(rng.randint(0, limit // 4)) for p in PAID})
        rows.append(row)
    return rows


def test_vectorised_scores_and_reasons_equal_the_run_time_model() -> None:
    model = RiskModel.load()
    rows = synthetic_rows(300)
    x = np.array([features(r) for r in rows])
    scorer = BatchScorer(model)
    batch_pd, batch_reasons = scorer.pd(x), scorer.reasons(x)
    for row, pd, why in zip(rows, batch_pd, batch_reasons, strict=True):
        single = model.assess(row)
        assert abs(single.pd - pd) < 1e-12 and single.reasons == why


def test_the_cli_scores_a_csv(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    rows = synthetic_rows(50)
    with source.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({k: int(v) for k, v in r.items()} for r in rows)
    subprocess.run([sys.executable, "-m", "ml", "score-batch", str(source), str(target)], cwd=ROOT, check=True,
                   capture_output=True)
    out = list(csv.DictReader(target.open()))
    assert len(out) == 50 and list(out[0]) == ["ID", "pd", "score", "grade", "reasons"]
    assert all(0 < float(r["pd"]) < 1 and r["grade"] in "ABCDEF" for r in out)


def test_a_csv_without_the_bureau_columns_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("ID,LIMIT_BAL\n1,1000\n")
    result = subprocess.run([sys.executable, "-m", "ml", "score-batch", str(source), str(tmp_path / "o.csv")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "missing columns" in result.stderr
