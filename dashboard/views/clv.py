"""CLV: distribution, by segment and cohort, top customers, predicted vs historical, model checks."""

from __future__ import annotations

import altair as alt
import streamlit as st

TITLE = "CLV"
# the page is shown when this table has rows (dashboard/pages.py)
NEEDS = ("marts.fct_orders", "orders")


def render(q) -> None:
    st.title("Customer lifetime value")
    st.caption("Historical CLV = net spend to date; predicted CLV = BG/NBD + Gamma-Gamma, discounted, over the "
               "next clv_horizon_months (GBP).")
    buckets = q("""
        select floor(predicted_clv / 25) * 25 as predicted_clv_from, count(*) as customers
        from marts.gold_cust_360 where predicted_clv is not null and predicted_clv < 1000 group by 1
    """)
    left, right = st.columns(2)
    with left:
        st.markdown("**Distribution of predicted CLV** (buyers, up to £1,000)")
        st.altair_chart(alt.Chart(buckets).mark_bar().encode(
            x=alt.X("predicted_clv_from:Q", bin=False, title="predicted CLV (GBP, bins of 25)"), y="customers:Q"),
            width="stretch")
    with right:
        st.markdown("**Predicted vs historical CLV** (sample of 2,000 buyers)")
        sample = q("select historical_clv, predicted_clv, rfm_segment from marts.gold_cust_360 "
                   "where predicted_clv is not null using sample 2000 rows (reservoir, 7)")
        st.altair_chart(alt.Chart(sample).mark_circle(opacity=0.5).encode(
            x=alt.X("historical_clv:Q", scale=alt.Scale(type="symlog")),
            y=alt.Y("predicted_clv:Q", scale=alt.Scale(type="symlog")), color="rfm_segment:N",
            tooltip=["historical_clv", "predicted_clv", "rfm_segment"]), width="stretch")
    left, right = st.columns(2)
    with left:
        st.markdown("**By RFM segment**")
        st.dataframe(q("select rfm_segment, count(*) as customers, round(avg(historical_clv), 2) as avg_historical, "
                       "round(avg(predicted_clv), 2) as avg_predicted, round(sum(predicted_clv)) as total_predicted "
                       "from marts.gold_cust_360 where order_count > 0 group by 1 order by total_predicted desc"),
                     hide_index=True, width="stretch")
    with right:
        st.markdown("**By acquisition cohort** (quarter of first order)")
        cohort = q("select date_trunc('quarter', first_order_at) as cohort, avg(historical_clv) as historical, "
                   "avg(predicted_clv) as predicted from marts.gold_cust_360 where order_count > 0 group by 1")
        long = cohort.melt(id_vars="cohort", value_vars=["historical", "predicted"])
        st.altair_chart(alt.Chart(long).mark_bar().encode(
            x=alt.X("cohort:T", title=None), y=alt.Y("value:Q", title="average CLV (GBP)"), color="variable:N",
            xOffset="variable:N"), width="stretch")
    st.markdown("**Top customers by predicted CLV**")
    st.dataframe(q("select customer_id, first_name, last_name, order_count, historical_clv, predicted_clv, "
                   "expected_purchases_next_horizon, churn_risk, rfm_segment, value_tier from marts.gold_cust_360 "
                   "order by predicted_clv desc nulls last limit 25"), hide_index=True, width="stretch")
    st.markdown("**Model checks** (holdout: fitted before the last clv_holdout_days, compared with what happened)")
    st.dataframe(q("select metric, round(model, 3) as model, round(naive_baseline, 3) as naive_baseline, description "
                   "from marts.clv_holdout_metrics"), hide_index=True, width="stretch")
    st.dataframe(q("select fit_name, parameter, round(value, 4) as value from marts.clv_model_parameters "
                   "order by fit_name, parameter"), hide_index=True, width="stretch", height=200)
