"""The dashboard's pages in sidebar order, their URL slugs (?page=<slug>), and which of them the
warehouse has data for: a page whose `NEEDS` table (declared in its view) is missing or empty is
left out of the sidebar and named with what it waits for."""

from __future__ import annotations

from dashboard import warehouse
from dashboard.views import campaigns, clv, customer_360, data_quality, overview, segments

PAGES = {view.TITLE: view for view in (overview, customer_360, segments, clv, campaigns, data_quality)}
SLUGS = {title: title.lower().replace(" ", "-") for title in PAGES}


def missing_data(q) -> dict[str, str]:
    """{page title: what it needs} for each page whose table is absent or empty."""
    missing = {}
    for title, view in PAGES.items():
        needs = getattr(view, "NEEDS", None)
        if needs is None:
            continue
        table, what = needs
        try:
            empty = q(f"select count(*) = 0 as empty from (select 1 from {table} limit 1)").iloc[0]["empty"]
        except warehouse.WarehouseUnavailableError:
            empty = True
        if empty:
            missing[title] = what
    return missing
