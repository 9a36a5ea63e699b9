"""Checks of a CLV model against what customers really did later: the holdout comparison and AUC.

Shared by the dbt model `clv_holdout_metrics` and the tests, so the figures in the warehouse and
the ones the tests assert are computed one way.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from c360 import clv

# marts.clv_holdout_metrics' columns (also when there is no fit to check).
METRIC_SCHEMA = pa.schema([("metric", pa.string()), ("model", pa.float64()), ("naive_baseline", pa.float64()),
                           ("description", pa.string()), ("calibration_end", pa.date32()),
                           ("holdout_end", pa.date32())])


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve: P(a random positive scores above a random negative), ties half.

    Mann-Whitney U over average ranks, O(n log n). NaN when either class is empty."""
    scores = np.asarray(scores, dtype=float)
    labels = np.asarray(labels, dtype=bool)
    if scores.shape != labels.shape:
        raise ValueError(f"scores {scores.shape} and labels {labels.shape} differ in shape")
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    sorted_scores = scores[order]
    # Average rank (1-based) of each run of tied scores.
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], sorted_scores.size]
    average_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(scores.size)
    ranks[order] = np.repeat(average_rank, ends - starts)
    u = ranks[labels].sum() - positives * (positives + 1) / 2.0
    return float(u / (positives * negatives))


def holdout_metrics(summary: clv.RfmSummary, params: clv.BgNbdParams) -> list[dict]:
    """Predicted vs actual purchases in the holdout period, beside a naive baseline, and churn AUC.

    summary: from summarise_transactions with a holdout_end; params: fitted on its calibration period.
    Naive baseline: each customer keeps buying at their calibration repeat rate (frequency / T), with
    no dropout. Churn: a customer "churned" when they bought nothing in the holdout; the model's score
    is P(no purchase in the holdout | history), the baseline's the time since their last purchase."""
    if summary.frequency_holdout is None or summary.duration_holdout is None:
        raise ValueError("the summary has no holdout period: summarise with holdout_end set")
    duration = float(summary.duration_holdout)
    actual = summary.frequency_holdout.astype(float)
    predicted = clv.expected_purchases(params, summary.frequency, summary.recency, summary.T, duration)
    naive = np.where(summary.T > 0, summary.frequency / np.maximum(summary.T, 1e-9), 0.0) * duration
    churned = actual == 0
    churn_risk = clv.probability_no_purchase(params, summary.frequency, summary.recency, summary.T, duration)
    time_since_last = summary.T - summary.recency

    def mae(estimate: np.ndarray) -> float:
        return float(np.mean(np.abs(estimate - actual)))

    return [
        {"metric": "customers", "model": float(len(summary)), "naive_baseline": float(len(summary)),
         "description": "Customers with a purchase in the calibration period."},
        {"metric": "holdout_purchases_actual", "model": float(actual.sum()), "naive_baseline": float(actual.sum()),
         "description": "Purchases (purchase days) those customers really made in the holdout period."},
        {"metric": "holdout_purchases_predicted", "model": float(predicted.sum()), "naive_baseline": float(naive.sum()),
         "description": "Purchases predicted for the holdout: BG/NBD vs each customer's past repeat rate."},
        {"metric": "holdout_purchases_error_pct",
         "model": float(100 * (predicted.sum() - actual.sum()) / max(actual.sum(), 1.0)),
         "naive_baseline": float(100 * (naive.sum() - actual.sum()) / max(actual.sum(), 1.0)),
         "description": "(predicted - actual) / actual purchases, in percent."},
        {"metric": "mean_absolute_error_per_customer", "model": mae(predicted), "naive_baseline": mae(naive),
         "description": "Mean over customers of |predicted - actual| holdout purchases."},
        {"metric": "churned_share", "model": float(churned.mean()), "naive_baseline": float(churned.mean()),
         "description": "Share of customers with no purchase in the holdout."},
        {"metric": "churn_auc", "model": roc_auc(churn_risk, churned),
         "naive_baseline": roc_auc(time_since_last, churned),
         "description": "AUC of churn risk (model) vs time since last purchase (baseline) for no holdout purchase."},
    ]
