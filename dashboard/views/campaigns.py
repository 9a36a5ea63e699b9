"""Campaigns: response, conversion and ROI by campaign and channel."""

from __future__ import annotations

import altair as alt
import streamlit as st

TITLE = "Campaigns"
# the page is shown when this table has rows (dashboard/pages.py)
NEEDS = ("marts.campaign_performance", "e-mail or SMS campaigns")


def render(q) -> None:
    st.title(TITLE)
    st.caption("Conversions: orders within campaign_attribution_days of the send (tagged) or of the customer's "
               "click; formulas in the docs site (campaign_formulas).")
    channels = q("select * from marts.campaign_channel_performance order by channel")
    cols = st.columns(len(channels) or 1)
    for col, row in zip(cols, channels.itertuples(), strict=False):
        col.metric(f"{row.channel}: ROI", f"{row.roi:.0%}" if row.roi == row.roi else "—",
                   help=f"{row.campaigns} campaigns, revenue £{row.attributed_revenue:,.0f}, "
                        f"cost £{row.campaign_cost:,.0f}")
    campaigns = q("select * from marts.campaign_performance order by sent_at")
    left, right = st.columns(2)
    with left:
        st.markdown("**Open and click rates by campaign**")
        rates = campaigns.melt(id_vars=["campaign_name", "sent_at", "channel"], value_vars=["open_rate", "click_rate"])
        st.altair_chart(alt.Chart(rates).mark_line(point=True).encode(
            x=alt.X("sent_at:T", title=None), y=alt.Y("value:Q", axis=alt.Axis(format="%")), color="variable:N",
            tooltip=["campaign_name", "channel", "variable", "value"]), width="stretch")
    with right:
        st.markdown("**ROI by campaign**")
        st.altair_chart(alt.Chart(campaigns).mark_bar().encode(
            x=alt.X("sent_at:T", title=None), y=alt.Y("roi:Q", axis=alt.Axis(format="%")), color="channel:N",
            tooltip=["campaign_name", "conversions", "attributed_revenue", "campaign_cost", "roi"]), width="stretch")
    st.markdown("**By channel**")
    st.dataframe(channels, hide_index=True, width="stretch")
    st.markdown("**By campaign** (best ROI first)")
    st.dataframe(campaigns.sort_values("roi", ascending=False), hide_index=True, width="stretch")
