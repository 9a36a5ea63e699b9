"""One row per check of the CLV model on a holdout: the model fitted on purchases up to
clv_holdout_days before the as-of date predicts the holdout period; the row gives the model's
figure beside a naive baseline's (c360/clv_holdout.py defines both)."""

import pyarrow as pa

from c360 import clv_dbt, clv_holdout


def model(dbt, session):
    dbt.config(materialized="table")
    as_of_date, calibration_end = clv_dbt.reporting_period(dbt.ref("int_reporting_period"))
    orders = clv_dbt.revenue_orders(dbt.ref("int_revenue_orders"), as_of_date)
    summary = clv_dbt.summarise(orders, calibration_end, holdout_end=as_of_date)
    fitted = clv_dbt.fitted_parameters(dbt.ref("clv_model_parameters"), "holdout_calibration")
    rows = clv_holdout.holdout_metrics(summary, fitted[0]) if fitted else []
    for row in rows:
        row.update(calibration_end=calibration_end, holdout_end=as_of_date)
    return pa.Table.from_pylist(rows, schema=clv_holdout.METRIC_SCHEMA)
