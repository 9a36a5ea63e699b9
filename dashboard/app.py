"""Customer 360 dashboard: `make dashboard` (streamlit run dashboard/app.py).

Pages are chosen in the sidebar or by URL (?page=customer-360), so a link or a browser test can
open one directly. Every query goes through a read-only, short-lived connection (warehouse.py).
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard import warehouse
from dashboard.pages import PAGES, SLUGS, missing_data


@st.cache_data(ttl=600, show_spinner=False, max_entries=500)
def cached_query(sql: str, params: tuple, version: float):
    """Cached per warehouse version (its mtime): a rebuilt warehouse is read afresh."""
    return warehouse.query(sql, list(params))


def q(sql: str, *params):
    return cached_query(sql, params, warehouse.warehouse_version())


def main() -> None:
    st.set_page_config(page_title="Customer 360", layout="wide")
    missing = missing_data(q)
    shown = [title for title in PAGES if title not in missing]
    by_slug = {slug: title for title, slug in SLUGS.items()}
    requested = by_slug.get(st.query_params.get("page", ""), shown[0])
    if requested in missing:
        st.info(f"{requested} needs {missing[requested]}, which this warehouse has none of.")
        requested = shown[0]
    title = st.sidebar.radio("Page", shown, index=shown.index(requested), key="page")
    st.query_params["page"] = SLUGS[title]
    for hidden, needs in missing.items():
        st.sidebar.caption(f"{hidden}: not shown, this configuration has no {needs}")
    st.sidebar.caption(f"Reading {warehouse.reading()}")
    started = time.perf_counter()
    try:
        PAGES[title].render(q)
    except warehouse.WarehouseUnavailableError as problem:
        st.warning(str(problem))
        return
    st.caption(f"Page built in {time.perf_counter() - started:.2f} s")


main()
