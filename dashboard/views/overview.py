"""Overview: the company's KPIs by month."""

from __future__ import annotations

import altair as alt
import streamlit as st

TITLE = "Overview"
# the page is shown when this table has rows (dashboard/pages.py)
NEEDS = ("marts.kpi_monthly", "orders")


def render(q) -> None:
    st.title("Customer 360: overview")
    kpis = q("select * from marts.kpi_monthly order by month_start")
    if kpis.empty:
        st.info("No orders yet: the KPIs start with the first order.")
        return
    last = kpis.iloc[-1]
    totals = q("select count(*) as customers, count(*) filter (where order_count > 0) as buyers, "
               "sum(total_spend) as revenue, sum(predicted_clv) as predicted_clv, max(as_of_date) as as_of "
               "from marts.gold_cust_360").iloc[0]
    st.caption(f"As of {str(totals.as_of)[:10]} · amounts in GBP · formulas in the docs site (kpi_formulas)")
    cols = st.columns(5)
    cols[0].metric("Customers", f"{int(totals.customers):,}")
    cols[1].metric("Buyers", f"{int(totals.buyers):,}")
    cols[2].metric("Revenue to date", f"£{totals.revenue:,.0f}")
    cols[3].metric("Predicted CLV (horizon)", f"£{totals.predicted_clv or 0:,.0f}")
    cols[4].metric(f"Churn rate ({last.month_start:%b %Y})", "—" if last.churn_rate != last.churn_rate
                   else f"{last.churn_rate:.1%}")
    left, right = st.columns(2)
    with left:
        st.markdown("**Revenue and ARPU by month**")
        st.altair_chart(alt.Chart(kpis).mark_bar().encode(x=alt.X("month_start:T", title=None),
                                                          y=alt.Y("revenue:Q", title="revenue (GBP)"),
                                                          tooltip=["month_start:T", "revenue:Q", "arpu:Q"]),
                        width="stretch")
    with right:
        st.markdown("**Active, new and lapsed customers by month**")
        long = kpis.melt(id_vars="month_start", value_vars=["active_customers", "new_customers", "lapsed_customers"])
        st.altair_chart(alt.Chart(long).mark_line(point=True).encode(
            x=alt.X("month_start:T", title=None), y=alt.Y("value:Q", title="customers"), color="variable:N"),
            width="stretch")
    left, right = st.columns(2)
    with left:
        st.markdown("**CAC and CLV:CAC by month**")
        st.altair_chart(alt.Chart(kpis).mark_line(point=True).encode(
            x=alt.X("month_start:T", title=None), y=alt.Y("clv_to_cac:Q", title="CLV:CAC"),
            tooltip=["month_start:T", "cac:Q", "average_clv_of_new_customers:Q", "clv_to_cac:Q"]), width="stretch")
    with right:
        st.markdown("**Cohort retention** (share of each cohort ordering k months later)")
        cohorts = q("select strftime(cohort_month, '%Y-%m') as cohort, months_since_acquisition, retention_rate "
                    "from marts.kpi_cohort_retention where months_since_acquisition between 1 and 18")
        st.altair_chart(alt.Chart(cohorts).mark_rect().encode(
            x=alt.X("months_since_acquisition:O", title="months since first order"), y=alt.Y("cohort:O", title=None),
            color=alt.Color("retention_rate:Q", scale=alt.Scale(scheme="blues")),
            tooltip=["cohort:O", "months_since_acquisition:O", "retention_rate:Q"]), width="stretch")
    st.markdown("**Monthly KPIs**")
    st.dataframe(kpis.sort_values("month_start", ascending=False), hide_index=True, width="stretch", height=300)
