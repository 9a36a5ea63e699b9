"""Profiles grouped into people: one row per profile with its cluster.

Links are candidate pairs at or above `link_threshold`, taken strongest first. Unlike plain
connected components, a link may only merge two clusters when the merge is guarded:
- the merged cluster stays within `max_cluster_profiles` profiles, and
- the two clusters do not both know dates of birth with none in common, and
- their first names are compatible (a given name of one cluster, as spelt or in canonical
  form, shares its initial with one of the other: Blly and Billy/William), or a profile of
  one is the other's name swapped (its first name is the other's last name, and its last name
  is missing or shares the other's initial: "Simpson" and Jasmine Simpson, Cook Nate and
  Nathan Cook; a billing name "Maguire Family" does not make Wendy Maguire's cluster
  compatible with Ronan Maguire), or they share
  a date of birth (Johannes and Hannes). Raymond and Linda Taylor, sharing an e-mail and an address but no
  birthday, stay two customers.
- no bridging through weak records: when both clusters already hold a strong profile (two
  or more of e-mail, phone, date of birth, postcode), the link itself must join two strong
  profiles. A subscriber known only by name and a name-derived e-mail may join one Karen
  Smith, but cannot glue two different Karen Smiths together.
A rejected link is simply not used, so one wrong link cannot chain two people together.

The merge loop is sequential by nature (each guard depends on the merges before it), so it
runs on plain Python integers: profiles are numbered in SQL (in profile id order), links
arrive as number pairs, and a cluster's birthdays and names are kept as sets only once it has
more than one profile. Everything before and after the loop is vectorised.
"""

import numpy as np
import pyarrow as pa


def model(dbt, session):
    dbt.config(materialized="table")
    threshold = float(dbt.config.get("link_threshold"))
    max_profiles = int(dbt.config.get("max_cluster_profiles"))

    profiles = dbt.ref("int_person_profiles").project(
        "profile_id, date_of_birth, first_canonical, first_key, last_key, "
        "(email_match_key is not null)::int + (phone_e164 is not null)::int "
        "+ (date_of_birth is not null)::int + (postcode_key is not null)::int >= 2 as is_strong, "
        "row_number() over (order by profile_id) - 1 as profile_number")
    profile_table = profiles.order("profile_number").to_arrow_table()
    ids = profile_table.column("profile_id")
    births = profile_table.column("date_of_birth").to_pylist()
    first_names = profile_table.column("first_canonical").to_pylist()
    first_keys = profile_table.column("first_key").to_pylist()
    last_names = profile_table.column("last_key").to_pylist()
    # Per profile: the initials of its given name (as spelt and canonical) and its name parts.
    initials = [frozenset(name[0] for name in (canonical, key) if name)
                for canonical, key in zip(first_names, first_keys, strict=True)]
    names = [(canonical, key, last) if canonical or last else None
             for canonical, key, last in zip(first_names, first_keys, last_names, strict=True)]
    strong = profile_table.column("is_strong").to_pylist()
    count = len(births)

    numbers = profiles.project("profile_id, profile_number")
    links = session.sql(
        f"""
        select profile_a.profile_number as number_a, profile_b.profile_number as number_b, match_probability
        from ({dbt.ref("int_candidate_pairs_scored").filter(f"match_probability >= {threshold}").sql_query()}) as links
        inner join ({numbers.sql_query()}) as profile_a on links.profile_id_a = profile_a.profile_id
        inner join ({numbers.sql_query()}) as profile_b on links.profile_id_b = profile_b.profile_id
        order by match_probability desc, links.profile_id_a, links.profile_id_b
        """).to_arrow_table()
    link_a = links.column("number_a").to_numpy()
    link_b = links.column("number_b").to_numpy()
    probability = links.column("match_probability").to_numpy()

    parent = list(range(count))
    size = [1] * count
    has_strong = list(strong)  # per root: holds a strong profile
    # Per root with more than one profile: the sets of birthdays, given-name initials, names seen.
    dates: dict[int, set] = {}
    first_initials: dict[int, set] = {}
    name_parts: dict[int, set] = {}

    def swapped(names_a: set, names_b: set) -> bool:
        """A profile of one side is a profile of the other with first and last name swapped
        (its last name missing or sharing the other's initial)."""
        for canonical_a, key_a, last_a in names_a:
            for canonical_b, key_b, last_b in names_b:
                if last_b and last_b in (canonical_a, key_a) and (
                        not last_a or not key_b or last_a[0] == key_b[0]):
                    return True
                if last_a and last_a in (canonical_b, key_b) and (
                        not last_b or not key_a or last_b[0] == key_a[0]):
                    return True
        return False

    def values(per_root: dict, singles: list, root: int) -> set:
        found = per_root.get(root)
        if found is None:
            single = singles[root]
            return {single} if single else set()
        return found

    def find(node: int) -> int:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    used = np.ones(len(link_a), dtype=bool)  # links not rejected (they set best_link_probability)
    for position, (left, right) in enumerate(zip(link_a.tolist(), link_b.tolist(), strict=True)):
        root_a, root_b = find(left), find(right)
        if root_a == root_b:
            continue
        dates_a, dates_b = values(dates, births, root_a), values(dates, births, root_b)
        same_birthday = not dates_a.isdisjoint(dates_b)
        if (size[root_a] + size[root_b] > max_profiles
                or (has_strong[root_a] and has_strong[root_b] and not (strong[left] and strong[right]))
                or (dates_a and dates_b and not same_birthday)):
            used[position] = False
            continue
        initials_a = first_initials.get(root_a, initials[root_a])
        initials_b = first_initials.get(root_b, initials[root_b])
        names_a, names_b = values(name_parts, names, root_a), values(name_parts, names, root_b)
        if not same_birthday and initials_a and initials_b and initials_a.isdisjoint(initials_b) and not swapped(
                names_a, names_b):
            used[position] = False
            continue
        if size[root_a] < size[root_b]:
            root_a, root_b = root_b, root_a
            dates_a, dates_b, initials_a, initials_b, names_a, names_b = (
                dates_b, dates_a, initials_b, initials_a, names_b, names_a)
        parent[root_b] = root_a
        size[root_a] += size[root_b]
        has_strong[root_a] = has_strong[root_a] or has_strong[root_b]
        dates[root_a], first_initials[root_a], name_parts[root_a] = (
            dates_a | dates_b, initials_a | initials_b, names_a | names_b)
        for per_root in (dates, first_initials, name_parts):
            per_root.pop(root_b, None)

    # Roots for every profile by pointer jumping; cluster named after its smallest profile id
    # (profiles are numbered in id order), deterministic whatever the link order.
    roots = np.array(parent, dtype=np.int64)
    while True:
        jumped = roots[roots]
        if np.array_equal(jumped, roots):
            break
        roots = jumped
    smallest = np.full(count, count, dtype=np.int64)
    np.minimum.at(smallest, roots, np.arange(count))
    cluster_sizes = np.bincount(roots, minlength=count)
    best_link = np.zeros(count)
    np.maximum.at(best_link, link_a[used], probability[used])
    np.maximum.at(best_link, link_b[used], probability[used])
    return pa.table({
        "profile_id": ids,
        "cluster_id": ids.take(pa.array(smallest[roots])),
        "cluster_profile_count": pa.array(cluster_sizes[roots], pa.int64()),
        "best_link_probability": pa.array(np.where(best_link > 0, best_link, np.nan), pa.float64(),
                                          from_pandas=True),
        "rejected_links_total": pa.array(np.full(count, int((~used).sum())), pa.int64()),
    })
