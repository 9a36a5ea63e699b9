"""Segments: size, value and trend of the RFM, value and behavioural segments; drill to customers."""

from __future__ import annotations

import altair as alt
import streamlit as st

TITLE = "Segments"
# the page is shown when this table has rows (dashboard/pages.py)
NEEDS = ("marts.fct_orders", "orders")
NON_BUYERS = {"No purchases", "Prospect", "Not yet a buyer", "Browser, never bought"}  # opened last by default
KINDS = {"RFM segment": "rfm_segment", "Value tier": "value_tier", "Behavioural segment": "behavioural_segment"}


def render(q) -> None:
    st.title(TITLE)
    kind = st.radio("Segmentation", list(KINDS), horizontal=True, key="segment_kind")
    column = KINDS[kind]
    summary = q(f"""
        select {column} as segment, count(*) as customers, sum(total_spend) as revenue,
               avg(predicted_clv) as average_predicted_clv, avg(churn_risk) as average_churn_risk
        from marts.gold_cust_360 group by 1 order by customers desc
    """)
    left, right = st.columns(2)
    with left:
        st.markdown("**Customers per segment**")
        st.altair_chart(alt.Chart(summary).mark_bar().encode(
            x=alt.X("customers:Q"), y=alt.Y("segment:N", sort="-x", title=None),
            tooltip=["segment", "customers", "revenue", "average_predicted_clv"]), width="stretch")
    with right:
        st.markdown("**Revenue per segment**")
        st.altair_chart(alt.Chart(summary).mark_bar(color="#2a9d8f").encode(
            x=alt.X("revenue:Q", title="revenue (GBP)"), y=alt.Y("segment:N", sort="-x", title=None),
            tooltip=["segment", "revenue", "average_churn_risk"]), width="stretch")
    if column == "rfm_segment":
        st.markdown("**RFM grid** (customers per recency x frequency score)")
        grid = q("select recency_score, frequency_score, count(*) as customers, any_value(rfm_segment) as segment "
                 "from marts.gold_cust_360 where recency_score is not null group by all")
        st.altair_chart(alt.Chart(grid).mark_rect().encode(
            x="frequency_score:O", y=alt.Y("recency_score:O", sort="descending"),
            color=alt.Color("customers:Q", scale=alt.Scale(scheme="greens")),
            tooltip=["recency_score", "frequency_score", "customers", "segment"]), width="stretch")
    st.markdown("**Trend:** customers acquired per month, by today's segment")
    trend = q(f"""
        select date_trunc('month', first_order_at) as cohort_month, {column} as segment, count(*) as customers
        from marts.gold_cust_360 where first_order_at is not null group by all
    """)
    st.altair_chart(alt.Chart(trend).mark_area().encode(
        x=alt.X("cohort_month:T", title="month of first order"), y="customers:Q", color="segment:N",
        tooltip=["cohort_month:T", "segment", "customers"]), width="stretch")
    st.dataframe(summary, hide_index=True, width="stretch")
    options = summary.segment.tolist()
    buyers_first = next((i for i, name in enumerate(options) if name not in NON_BUYERS), 0)
    segment = st.selectbox("Drill into a segment", options, index=buyers_first, key="segment_drill")
    customers = q(f"""
        select customer_id, first_name, last_name, email, order_count, total_spend, predicted_clv, churn_risk,
               days_since_last_order
        from marts.gold_cust_360 where {column} = ? order by predicted_clv desc nulls last, total_spend desc limit 200
    """, segment)
    st.caption(f"Top {len(customers)} customers of {segment} by predicted CLV")
    st.dataframe(customers, hide_index=True, width="stretch")
