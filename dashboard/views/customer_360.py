"""Customer 360: find a customer, see their profile with provenance, the source records merged
into them and why, their timeline, value and churn risk."""

from __future__ import annotations

import re
import unicodedata

import altair as alt
import streamlit as st

TITLE = "Customer 360"

# What the search text looks like picks one query, so each is a single selective scan (at 1M
# customers: an id 0.07 s, an e-mail or phone ~0.4 s, a name ~0.45 s). E-mails and phones are
# looked up on every source record, so an old address still finds its customer; a national phone
# number matches as a suffix of the E.164 form once its leading zeros are dropped.
# A name matches a customer whose surname or given name is the text (or starts with it, from three
# letters), or whose full name is close to it; both sides folded to lower case without accents,
# so `zoe angstrom` finds Zoë Ångström. dim_customers holds every customer, gold or not.
BY_ID = "select customer_id, 1.0 as match_score from marts.dim_customers where customer_id = ?"
BY_RECORD = """
select customer_id, 1.0 as match_score from marts.customer_identity_map
where person_record_id in (
    select person_record_id from intermediate.int_person_records_unioned where {condition}
)
"""
BY_NAME = """
with searched as (select ? as text),
folded as (
    select customer_id,
           strip_accents(lower(coalesce(first_name, ''))) as given,
           strip_accents(lower(coalesce(last_name, ''))) as family
    from marts.dim_customers
),
scored as (
    select customer_id, given, family, searched.text,
           jaro_winkler_similarity(trim(given || ' ' || family), searched.text) as name_similarity,
           family = searched.text or given = searched.text as is_exact,
           length(searched.text) >= 3 and (starts_with(family, searched.text) or starts_with(given, searched.text))
               as is_prefix
    from folded cross join searched
)
select customer_id,
       greatest(name_similarity, case when is_exact then 0.95 when is_prefix then 0.9 else 0 end) as match_score
from scored
where is_exact or is_prefix or name_similarity >= 0.88
"""
RESULTS = """
with hits as ({hits}),
best as (select customer_id, max(match_score) as match_score from hits group by customer_id)
select customers.customer_id, customers.first_name, customers.last_name, customers.email,
       customers.phone_e164, customers.city, {activity} best.match_score
from best join marts.dim_customers as customers using (customer_id)
{gold_join}
order by best.match_score desc, {order} customers.customer_id limit 200
"""


def has_gold(q) -> bool:
    """Whether the configuration built the gold layer (orders and the rest), or identity only."""
    return bool(q("select count(*) as n from information_schema.tables "
                  "where table_schema = 'marts' and table_name = 'gold_cust_360'").n.iloc[0])


def results_sql(hits: str, gold: bool) -> str:
    if gold:
        return RESULTS.format(hits=hits, activity="gold.order_count, gold.total_spend,",
                              gold_join="left join marts.gold_cust_360 as gold using (customer_id)",
                              order="gold.total_spend desc nulls last,")
    return RESULTS.format(hits=hits, activity="", gold_join="", order="")


TIMELINE_SQL = """
select ordered_at as happened_at, 'order' as kind, order_number as what, order_amount_reporting as amount
from marts.fct_orders where customer_id = ?
union all
select paid_at, case when is_failed then 'failed payment' else 'payment' end, payment_method, amount_reporting
from marts.fct_payments where customer_id = ?
union all
select created_at, 'support ticket', category || ' (' || ticket_status || ')', null
from marts.fct_support_tickets where customer_id = ?
union all
select started_at, platform || ' session', event_count || ' events' || case when orders_completed > 0
       then ', ordered' when is_cart_abandoned then ', cart abandoned' else '' end, null
from marts.fct_web_sessions where customer_id = ?
union all
select event_at, 'e-mail ' || event_type, campaign_id, null
from marts.fct_email_events where customer_id = ? and event_type in ('open', 'click', 'unsubscribe')
order by happened_at desc limit 300
"""


def fold(text: str) -> str:
    """Lower case without accents, single spaces (what BY_NAME compares against)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def search(q, text: str, gold: bool = True):
    """Customers matching the text, best first: by id, e-mail, phone or name (every customer with
    that surname or given name, and fuzzy full names)."""
    lowered = text.strip().lower()
    digits = re.sub(r"\D", "", lowered).lstrip("0")
    if lowered.startswith("cus_"):
        return q(results_sql(BY_ID, gold), lowered)
    if "@" in lowered:
        return q(results_sql(BY_RECORD.format(condition="email = ?"), gold), lowered)
    if len(digits) >= 7 and not re.search(r"[a-z]", lowered):
        return q(results_sql(BY_RECORD.format(condition="phone_e164 like '%' || ?"), gold), digits)
    return q(results_sql(BY_NAME, gold), fold(lowered))


def render(q) -> None:
    st.title(TITLE)
    gold = has_gold(q)
    text = st.text_input("Search by name, e-mail, phone or customer id", key="customer_search",
                         placeholder="e.g. Mark Martin, mark.martin@hotmail.co.uk, +447700900123, cus_...")
    if not text.strip():
        if gold:
            top = q("select customer_id, first_name, last_name, email, total_spend, predicted_clv, rfm_segment "
                    "from marts.gold_cust_360 order by predicted_clv desc nulls last limit 10")
            st.caption("Type to search; meanwhile, the customers with the highest predicted CLV:")
        else:
            top = q("select customer_id, first_name, last_name, email, source_record_count, source_systems "
                    "from marts.dim_customers order by source_record_count desc, customer_id limit 10")
            st.caption("Type to search; meanwhile, the customers merged from the most records (this warehouse "
                       "has customers from person records only: no orders or activity to show):")
        st.dataframe(top, hide_index=True, width="stretch")
        return
    found = search(q, text, gold)
    if found.empty:
        st.info(f"No customer matches {text!r}. Names match fuzzily; e-mails and phones exactly.")
        return
    labels = [f"{r.first_name or ''} {r.last_name or ''} · {r.email or 'no e-mail'} · {r.customer_id}"
              for r in found.itertuples()]
    choice = st.selectbox(f"{len(found)} match(es), best first", range(len(found)), format_func=lambda i: labels[i])
    if gold:
        show_customer(q, found.customer_id.iloc[choice])
    else:
        customer_id = found.customer_id.iloc[choice]
        st.subheader(f"{found.first_name.iloc[choice] or ''} {found.last_name.iloc[choice] or ''}  ·  {customer_id}")
        show_golden_record(q, customer_id)
        show_records_and_links(q, customer_id)


def show_golden_record(q, customer_id: str) -> None:
    st.markdown("**Golden record and where each value comes from**")
    fields = ["first_name", "last_name", "email", "phone_e164", "date_of_birth", "address_line1", "city",
              "postcode", "country_code"]
    provenance = q("select " + ", ".join(f"cast({f} as varchar) as {f}, {f}_source, {f}_as_of" for f in fields)
                   + " from marts.dim_customers where customer_id = ?", customer_id).iloc[0]
    st.dataframe([{"field": f, "value": provenance[f], "source": provenance[f"{f}_source"],
                   "as of": provenance[f"{f}_as_of"]} for f in fields], hide_index=True, width="stretch")


def show_customer(q, customer_id: str) -> None:
    gold = q("select * from marts.gold_cust_360 where customer_id = ?", customer_id).iloc[0]
    st.subheader(f"{gold.first_name or ''} {gold.last_name or ''}  ·  {customer_id}")
    cols = st.columns(6)
    cols[0].metric("Historical CLV", f"£{gold.historical_clv:,.0f}")
    cols[1].metric("Predicted CLV", "—" if gold.predicted_clv != gold.predicted_clv else f"£{gold.predicted_clv:,.0f}")
    cols[2].metric("Churn risk", "—" if gold.churn_risk != gold.churn_risk else f"{gold.churn_risk:.0%}")
    cols[3].metric("Orders", int(gold.order_count))
    cols[4].metric("RFM segment", gold.rfm_segment)
    cols[5].metric("Value tier", gold.value_tier)

    left, right = st.columns(2)
    with left:
        show_golden_record(q, customer_id)
    with right:
        st.markdown("**Behaviour**")
        behaviour = [
            {"what": "first / last order", "value": f"{gold.first_order_at} / {gold.last_order_at}"},
            {"what": "average order value", "value": gold.average_order_value},
            {"what": "favourite categories", "value": gold.favourite_categories},
            {"what": "payment methods (failed)", "value": f"{gold.payment_methods} ({gold.failed_payments})"},
            {"what": "support tickets (open)", "value": f"{gold.support_tickets} ({gold.open_support_tickets})"},
            {"what": "web / app sessions", "value": f"{gold.web_sessions} ({gold.app_sessions} in app)"},
            {"what": "e-mail opened / clicked", "value": f"{gold.campaigns_opened} / {gold.campaigns_clicked}"},
            {"what": "behavioural segment", "value": gold.behavioural_segment},
            {"what": "systems", "value": gold.source_systems},
        ]
        st.dataframe([{"what": row["what"], "value": str(row["value"])} for row in behaviour], hide_index=True,
                     width="stretch")
    show_records_and_links(q, customer_id)

    timeline = q(TIMELINE_SQL, *([customer_id] * 5))
    st.markdown(f"**Timeline** (latest {len(timeline)} events)")
    if not timeline.empty:
        chart = alt.Chart(timeline).mark_circle(size=60).encode(
            x=alt.X("happened_at:T", title=None), y=alt.Y("kind:N", title=None), color=alt.Color("kind:N", legend=None),
            tooltip=["happened_at:T", "kind:N", "what:N", "amount:Q"])
        st.altair_chart(chart, width="stretch")
        st.dataframe(timeline, hide_index=True, width="stretch", height=240)


def show_records_and_links(q, customer_id: str) -> None:
    st.markdown("**Source records merged into this customer**")
    records = q("""
        select identity_map.source_system, identity_map.source_record_id, records.first_name, records.last_name,
               records.email, records.phone_e164, records.postcode, identity_map.match_confidence
        from marts.customer_identity_map as identity_map
        join intermediate.int_person_records_unioned as records using (person_record_id)
        where identity_map.customer_id = ? order by identity_map.source_system, identity_map.source_record_id
    """, customer_id)
    st.dataframe(records, hide_index=True, width="stretch")
    links = q("""
        select round(any_value(match_probability), 4) as match_probability,
               string_agg(comparison || ': ' || level_label || ' (' || printf('%+.1f', comparison_weight) || ')', '; '
                          order by comparison_weight desc) as evidence,
               profile_id_a, profile_id_b
        from marts.customer_match_evidence where customer_id = ?
        group by profile_id_a, profile_id_b order by match_probability desc limit 50
    """, customer_id)
    if not links.empty:
        st.markdown("**Why they were merged:** the scored links between their profiles, comparison by comparison "
                    "(what agreed, and the log2 evidence it added)")
        st.dataframe(links, hide_index=True, width="stretch")
