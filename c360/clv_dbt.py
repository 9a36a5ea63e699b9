"""What the dbt Python models of CLV share: their inputs, settings and fitted parameters.

The models (models/marts/customer_360/clv_model_parameters.py, clv_holdout_metrics.py and
models/intermediate/customer_activity/int_customer_clv.py) stay a few lines each; the maths is in
c360/clv.py, the checks in c360/clv_holdout.py. dbt finds a Python model's refs and configs by
reading its source, so the models call dbt.ref / dbt.config.get themselves and pass the results.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from c360 import clv

TIME_UNIT = "week"  # BG/NBD is fitted in weeks (alpha in weeks, as in the published CDNOW figures)
WEEKS_PER_MONTH = clv.DAYS_PER_MONTH / 7


def reporting_period(period) -> tuple[date, date]:
    """(as-of date, last day of the holdout's calibration period) from the int_reporting_period relation."""
    as_of_date, holdout_starts_at = period.select("as_of_date, holdout_starts_at").fetchall()[0]
    return as_of_date, holdout_starts_at.date() - timedelta(days=1)


def revenue_orders(orders, as_of_date: date) -> pa.Table:
    """customer_id, ordered_at, amount of the orders the CLV model counts, up to the as-of date.

    orders: the int_revenue_orders relation (revenue orders of real customers, the same ones the
    KPIs count); filtered again by date because the holdout fit stops earlier. Revenue is gross:
    refunds are a separate behaviour, in net spend."""
    return orders.filter(f"ordered_at < date '{as_of_date}' + interval 1 day").select(
        "customer_id, ordered_at, cast(revenue_reporting as double) as amount").to_arrow_table()


def summarise(orders: pa.Table, calibration_end: date, holdout_end: date | None = None) -> clv.RfmSummary:
    return clv.summarise_transactions(orders["customer_id"], orders["ordered_at"], orders["amount"], calibration_end,
                                      time_unit=TIME_UNIT, holdout_end=holdout_end)


# clv_model_parameters' columns, so that a run with nothing to fit still has the table.
PARAMETER_SCHEMA = pa.schema([("fit_name", pa.string()), ("calibration_end", pa.date32()), ("customers", pa.int64()),
                              ("time_unit", pa.string()), ("parameter", pa.string()), ("value", pa.float64())])


def why_not_fittable(summary: clv.RfmSummary) -> str | None:
    """Why the models cannot be fitted on this summary (no buyers, no repeat purchase), or None."""
    if len(summary) == 0:
        return "no customer has an order"
    if not np.any(summary.frequency > 0) or not np.any((summary.frequency > 0) & (summary.monetary_value > 0)):
        return "no customer has a repeat purchase"
    return None


def fit(summary: clv.RfmSummary) -> tuple[clv.BgNbdParams, clv.GammaGammaParams]:
    """Both models on one summary. Gamma-Gamma needs positive order values: a repeat buyer whose
    repeat orders were all free (0.00) sits out of that fit rather than failing the build."""
    priced = np.where(summary.monetary_value > 0, summary.frequency, 0)
    return (clv.fit_bgnbd(summary.frequency, summary.recency, summary.T),
            clv.fit_gamma_gamma(priced, summary.monetary_value))


def parameter_rows(fit_name: str, calibration_end: date, summary: clv.RfmSummary,
                   bgnbd: clv.BgNbdParams, gamma_gamma: clv.GammaGammaParams) -> list[dict]:
    """Long rows (fit, parameter, value) for marts.clv_model_parameters."""
    values = {**{f"bgnbd_{k}": v for k, v in bgnbd._asdict().items()},
              **{f"gamma_gamma_{k}": v for k, v in gamma_gamma._asdict().items()}}
    return [{"fit_name": fit_name, "calibration_end": calibration_end, "customers": len(summary),
             "time_unit": TIME_UNIT, "parameter": name, "value": float(value)} for name, value in values.items()]


def fitted_parameters(parameters, fit_name: str) -> tuple[clv.BgNbdParams, clv.GammaGammaParams] | None:
    """The parameters of one fit, from the clv_model_parameters relation; None when it was not fitted."""
    rows = dict(parameters.filter(f"fit_name = '{fit_name}'").select("parameter, value").fetchall())
    if not rows:
        return None
    bgnbd = clv.BgNbdParams(**{k: rows[f"bgnbd_{k}"] for k in clv.BgNbdParams._fields})
    gamma_gamma = clv.GammaGammaParams(**{k: rows[f"gamma_gamma_{k}"] for k in clv.GammaGammaParams._fields})
    return bgnbd, gamma_gamma
