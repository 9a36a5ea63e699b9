"""One row per (fit, parameter): the BG/NBD and Gamma-Gamma parameters fitted on this run.

fit_name 'current' is fitted on all purchases up to the as-of date and scores every customer
(int_customer_clv); 'holdout_calibration' stops clv_holdout_days earlier and is checked against
what customers bought since (clv_holdout_metrics). A fit with nothing to learn from (no orders,
no repeat purchase) has no rows; the models that use it then leave their predictions empty."""

import pyarrow as pa

from c360 import clv_dbt


def model(dbt, session):
    dbt.config(materialized="table")
    as_of_date, calibration_end = clv_dbt.reporting_period(dbt.ref("int_reporting_period"))
    orders = clv_dbt.revenue_orders(dbt.ref("int_revenue_orders"), as_of_date)
    rows = []
    for fit_name, end in (("current", as_of_date), ("holdout_calibration", calibration_end)):
        summary = clv_dbt.summarise(orders, end)
        if clv_dbt.why_not_fittable(summary) is None:
            rows += clv_dbt.parameter_rows(fit_name, end, summary, *clv_dbt.fit(summary))
    return pa.Table.from_pylist(rows, schema=clv_dbt.PARAMETER_SCHEMA)
