"""One row per customer with a purchase up to the as-of date: BG/NBD + Gamma-Gamma scores.

predicted_clv: discounted expected revenue over the next clv_horizon_months (monthly steps, the
annual rate clv_annual_discount_rate converted to monthly); churn_risk: P(no purchase in the next
churn_horizon_days), not 1 - P(alive), which is 0 for every one-time buyer by construction. Both
are null when the model could not be fitted (no orders or no repeat purchase in the data)."""

import numpy as np
import pyarrow as pa

from c360 import clv, clv_dbt

PREDICTIONS = ("p_alive", "expected_purchases", "churn_risk", "expected_order_value", "predicted_clv")


def model(dbt, session):
    dbt.config(materialized="table")
    months = int(dbt.config.get("clv_horizon_months"))
    monthly_rate = (1 + float(dbt.config.get("clv_annual_discount_rate"))) ** (1 / 12) - 1
    churn_weeks = float(dbt.config.get("churn_horizon_days")) / 7
    as_of_date, _ = clv_dbt.reporting_period(dbt.ref("int_reporting_period"))
    summary = clv_dbt.summarise(clv_dbt.revenue_orders(dbt.ref("int_revenue_orders"), as_of_date), as_of_date)
    fitted = clv_dbt.fitted_parameters(dbt.ref("clv_model_parameters"), "current")
    x, t_x, age, value = summary.frequency, summary.recency, summary.T, summary.monetary_value
    customer_id = pa.array(summary.customer_id, pa.string())  # typed also when there are no customers
    history = {"customer_id": customer_id, "frequency": x, "recency_weeks": np.round(t_x, 3),
               "t_weeks": np.round(age, 3), "monetary_value": np.round(value, 2)}
    if fitted is None:  # nothing to learn from: the history stands, the predictions stay empty
        unknown = np.full(len(summary), np.nan)
        predictions = dict.fromkeys(PREDICTIONS, unknown)
    else:
        bgnbd, gamma_gamma = fitted
        predictions = {
            "p_alive": clv.probability_alive(bgnbd, x, t_x, age),
            "expected_purchases": clv.expected_purchases(bgnbd, x, t_x, age, months * clv_dbt.WEEKS_PER_MONTH),
            "churn_risk": clv.probability_no_purchase(bgnbd, x, t_x, age, churn_weeks),
            "expected_order_value": np.round(clv.expected_order_value(gamma_gamma, x, value), 2),
            "predicted_clv": np.round(clv.predicted_clv(bgnbd, gamma_gamma, x, t_x, age, value, periods=months,
                                                        period_length=clv_dbt.WEEKS_PER_MONTH,
                                                        discount_rate=monthly_rate), 2),
        }
    # A prediction a degenerate fit could not make (NaN) is NULL: unknown, not a number.
    return pa.table({**history, **{name: pa.array(values, pa.float64(), from_pandas=True)
                                   for name, values in predictions.items()}})
