"""The dashboard's pages in sidebar order, and their URL slugs (?page=<slug>)."""

from dashboard.views import campaigns, clv, customer_360, data_quality, overview, segments

PAGES = {view.TITLE: view for view in (overview, customer_360, segments, clv, campaigns, data_quality)}
SLUGS = {title: title.lower().replace(" ", "-") for title in PAGES}
