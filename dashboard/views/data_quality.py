"""Data quality: rows per layer, quarantined rows by reason, identity metrics and recent merges."""

from __future__ import annotations

import altair as alt
import streamlit as st

TITLE = "Data quality"
LAYERS = """
select case when schema_name like 'raw_%' then 'bronze' when schema_name = 'staging' then 'silver'
            when schema_name = 'intermediate' then 'intermediate' when schema_name = 'marts' then 'gold' end as layer,
       schema_name, table_name, estimated_size as rows
from duckdb_tables()
where schema_name like 'raw_%' or schema_name in ('staging', 'intermediate', 'marts')
"""


def render(q) -> None:
    st.title(TITLE)
    tables = q(LAYERS)
    per_layer = tables.groupby("layer", as_index=False)["rows"].sum()
    cols = st.columns(4)
    for col, layer in zip(cols, ["bronze", "silver", "intermediate", "gold"], strict=True):
        rows = per_layer.loc[per_layer.layer == layer, "rows"]
        col.metric(f"{layer} rows (tables)", f"{int(rows.iloc[0]) if len(rows) else 0:,}")
    runs = q("select source_system, max(finished_at) as last_run, arg_max(status, finished_at) as status, "
             "sum(rows_read) as rows_read, sum(rows_loaded) as rows_loaded, sum(rows_quarantined) as rows_quarantined "
             "from raw_ingest.source_runs group by 1 order by 1")
    left, right = st.columns(2)
    with left:
        st.markdown("**Ingestion by system** (all runs: read = loaded + quarantined)")
        st.dataframe(runs, hide_index=True, width="stretch")
    with right:
        st.markdown("**Quarantined rows by reason**")
        reasons = q("select source_system || '.' || source_table as source, "
                    "regexp_extract(reason, '^[^:(]*') as reason, count(*) as rows "
                    "from raw_ingest.quarantine group by all order by rows desc")
        if reasons.empty:
            st.success("Nothing quarantined.")
        else:
            st.altair_chart(alt.Chart(reasons).mark_bar().encode(
                x="rows:Q", y=alt.Y("source:N", title=None), color="reason:N", tooltip=["source", "reason", "rows"]),
                width="stretch")
    st.markdown("**Identity resolution**")
    identity = q("""
        select count(*) as records, count(distinct customer_id) as customers,
               (select max(n) from (select count(*) as n from marts.customer_identity_map group by customer_id))
                   as largest,
               avg((match_confidence >= 0.99)::int) as confident_share
        from marts.customer_identity_map
    """).iloc[0]
    changes = q("select changed_at, change_type, count(*) as changes, sum(records_moved) as records_moved "
                "from marts.customer_id_changes group by all order by changed_at desc")
    last = changes[changes.changed_at == changes.changed_at.max()] if not changes.empty else changes
    cols = st.columns(5)
    cols[0].metric("Person records", f"{int(identity.records):,}")
    cols[1].metric("Customers", f"{int(identity.customers):,}")
    cols[2].metric("Largest customer (records)", f"{int(identity.largest):,}")
    cols[3].metric("Records matched at >= 0.99", f"{identity.confident_share:.1%}")
    merges = int(last.loc[last.change_type == "merge", "changes"].sum())
    splits = int(last.loc[last.change_type == "split", "changes"].sum())
    cols[4].metric("Merges / splits in the last run", f"{merges} / {splits}")
    sizes = q("select records, count(*) as customers from (select count(*) as records from marts.customer_identity_map "
              "group by customer_id) group by 1 order by 1")
    left, right = st.columns(2)
    with left:
        st.markdown("**Customers by number of source records**")
        st.altair_chart(alt.Chart(sizes).mark_bar().encode(x="records:O", y=alt.Y("customers:Q", scale=alt.Scale(
            type="symlog"))), width="stretch")
    with right:
        st.markdown("**Identity changes between runs** (marts.customer_id_changes)")
        st.dataframe(changes, hide_index=True, width="stretch")
    st.markdown("**Tables**")
    st.dataframe(tables.sort_values(["layer", "schema_name", "table_name"]), hide_index=True, width="stretch",
                 height=300)
