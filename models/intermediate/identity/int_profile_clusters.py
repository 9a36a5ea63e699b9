"""Profiles grouped into people: one row per profile with its cluster.

Links are candidate pairs at or above `link_threshold`, taken strongest first. Unlike plain
connected components, a link may only merge two clusters when the merge is guarded:
- the merged cluster stays within `max_cluster_profiles` profiles, and
- the two clusters do not both know dates of birth with none in common, and
- their first names are compatible (a first name of one cluster shares its initial with a
  first name of the other, or equals a last name of the other: swapped names) or they share
  a date of birth (Johannes and Hannes). Raymond and Linda Taylor, sharing an e-mail and an address but no
  birthday, stay two customers.
- no bridging through weak records: when both clusters already hold a strong profile (two
  or more of e-mail, phone, date of birth, postcode), the link itself must join two strong
  profiles. A subscriber known only by name and a name-derived e-mail may join one Karen
  Smith, but cannot glue two different Karen Smiths together.
A rejected link is simply not used, so one wrong link cannot chain two people together.
"""

import numpy as np
import pyarrow as pa


def model(dbt, session):
    dbt.config(materialized="table")
    threshold = float(dbt.config.get("link_threshold"))
    max_profiles = int(dbt.config.get("max_cluster_profiles"))

    profiles = (dbt.ref("int_person_profiles")
                .project("profile_id, date_of_birth, first_canonical, last_key, "
                         "(email_match_key is not null)::int + (phone_e164 is not null)::int "
                         "+ (date_of_birth is not null)::int + (postcode_key is not null)::int >= 2")
                .to_arrow_table())
    ids = profiles.column(0).to_pylist()
    index = {profile_id: position for position, profile_id in enumerate(ids)}
    births = profiles.column(1).to_pylist()
    first_names = profiles.column(2).to_pylist()
    last_names = profiles.column(3).to_pylist()
    strong = np.array(profiles.column(4).to_pylist(), dtype=bool)

    links = (dbt.ref("int_candidate_pairs_scored")
             .filter(f"match_probability >= {threshold}")
             .project("profile_id_a, profile_id_b, match_probability")
             .order("match_probability desc, profile_id_a, profile_id_b")
             .to_arrow_table())

    parent = np.arange(len(ids))
    size = np.ones(len(ids), dtype=np.int64)
    dates = [{b} if b is not None else set() for b in births]  # per root: dates of birth seen
    firsts = [{f} if f else set() for f in first_names]  # per root: first names seen
    lasts = [{n} if n else set() for n in last_names]  # per root: last names seen
    has_strong = strong.copy()  # per root: holds a strong profile

    def compatible_names(a: int, b: int) -> bool:
        if not firsts[a] or not firsts[b]:
            return True
        if {f[0] for f in firsts[a]} & {f[0] for f in firsts[b]}:
            return True
        return bool(firsts[a] & lasts[b] or firsts[b] & lasts[a])
    best_link = np.zeros(len(ids))  # strongest accepted link touching each profile

    def find(node: int) -> int:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    rejected = 0
    for a, b, probability in zip(links.column(0).to_pylist(), links.column(1).to_pylist(),
                                 links.column(2).to_pylist(), strict=True):
        left, right = index[a], index[b]
        root_a, root_b = find(left), find(right)
        if root_a != root_b:
            same_birthday = bool(dates[root_a] & dates[root_b])
            bridge = has_strong[root_a] and has_strong[root_b] and not (strong[left] and strong[right])
            if bridge or size[root_a] + size[root_b] > max_profiles or (
                    dates[root_a] and dates[root_b] and not same_birthday) or (
                    not same_birthday and not compatible_names(root_a, root_b)):
                rejected += 1
                continue
            if size[root_a] < size[root_b]:
                root_a, root_b = root_b, root_a
            parent[root_b] = root_a
            size[root_a] += size[root_b]
            has_strong[root_a] |= has_strong[root_b]
            for per_root in (dates, firsts, lasts):
                per_root[root_a] |= per_root[root_b]
                per_root[root_b] = set()
        best_link[left] = max(best_link[left], probability)
        best_link[right] = max(best_link[right], probability)

    roots = np.array([find(i) for i in range(len(ids))], dtype=np.int64)
    # Name each cluster after its smallest profile id: deterministic whatever the link order.
    cluster_of_root: dict[int, str] = {}
    for position in np.argsort(np.array(ids, dtype=object)):
        cluster_of_root.setdefault(int(roots[position]), ids[position])
    return pa.table({
        "profile_id": pa.array(ids, pa.string()),
        "cluster_id": pa.array([cluster_of_root[int(r)] for r in roots], pa.string()),
        "cluster_profile_count": pa.array(size[roots], pa.int64()),
        "best_link_probability": pa.array(np.where(best_link > 0, best_link, np.nan), pa.float64(),
                                          from_pandas=True),
        "rejected_links_total": pa.array(np.full(len(ids), rejected), pa.int64()),
    })
