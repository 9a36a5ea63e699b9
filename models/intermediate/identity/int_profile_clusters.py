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
runs on plain Python integers: profiles are numbered in SQL (int_person_profiles, in profile id
order), links arrive as number pairs, and a cluster's birthdays and names are kept as sets only once it has
more than one profile. Everything before and after the loop is vectorised.

Most people need no loop: when a connected component of the links cannot trip a guard (within
the size cap, at most one birthday, one initial every given name shares, and its strong
profiles linked to each other directly), the loop would merge it whole, whatever the order,
so it is one cluster outright. Only the other components go through the loop (at 300k people
that is a few percent of the links).
"""

import numpy as np
import pyarrow as pa

from c360.graph import component_labels


def guard_free(component: np.ndarray, births: np.ndarray, initial_bits: np.ndarray, strong: np.ndarray,
               strong_group: np.ndarray, max_profiles: int) -> np.ndarray:
    """Per component: True when no merge guard can reject a link inside it, so that the merge
    loop would join it whole: at most `max_profiles` profiles, at most one distinct birthday
    (-1 = unknown), an initial shared by every profile with a given name, and its strong
    profiles in one group of strong-to-strong links (a weak link may then be refused, but the
    strong links join both sides anyway)."""
    count = int(component.max()) + 1 if len(component) else 0
    sizes = np.bincount(component, minlength=count)
    known = births >= 0
    lowest = np.full(count, np.iinfo(np.int64).max)
    highest = np.full(count, np.iinfo(np.int64).min)
    np.minimum.at(lowest, component[known], births[known])
    np.maximum.at(highest, component[known], births[known])
    one_birthday = (lowest >= highest) | (lowest == np.iinfo(np.int64).max)
    named = initial_bits > 0
    shared_initials = np.full(count, (1 << 26) - 1, dtype=np.int64)  # a..z: bit 26 is never shared
    np.bitwise_and.at(shared_initials, component[named], initial_bits[named])
    lowest_group = np.full(count, np.iinfo(np.int64).max)
    highest_group = np.full(count, np.iinfo(np.int64).min)
    np.minimum.at(lowest_group, component[strong], strong_group[strong])
    np.maximum.at(highest_group, component[strong], strong_group[strong])
    one_strong_group = (lowest_group >= highest_group) | (lowest_group == np.iinfo(np.int64).max)
    return (sizes <= max_profiles) & one_birthday & (shared_initials > 0) & one_strong_group


def model(dbt, session):
    dbt.config(materialized="table")
    threshold = float(dbt.config.get("link_threshold"))
    max_profiles = int(dbt.config.get("max_cluster_profiles"))

    initial_bits = " | ".join(
        f"case when {name} is null or {name} = '' then 0 when left({name}, 1) between 'a' and 'z' "
        f"then 1::bigint << (ascii({name}) - 97) else 1::bigint << 26 end" for name in ("first_canonical", "first_key"))
    profiles = dbt.ref("int_person_profiles").project(
        "profile_id, date_of_birth, first_canonical, first_key, last_key, "
        "(email_match_key is not null)::int + (phone_e164 is not null)::int "
        "+ (date_of_birth is not null)::int + (postcode_key is not null)::int >= 2 as is_strong, "
        "coalesce(date_diff('day', date '1900-01-01', date_of_birth), -1) as birth_day, "
        f"{initial_bits} as initial_bits, "
        "profile_number - 1 as profile_number")
    profile_table = profiles.order("profile_number").to_arrow_table()
    ids = profile_table.column("profile_id")
    is_strong = profile_table.column("is_strong").to_numpy(zero_copy_only=False)
    count = len(ids)

    # The links as pairs of profile numbers (from 0), strongest first; ties in id order.
    links = (dbt.ref("int_candidate_pairs_scored")
             .filter(f"match_probability >= {threshold}")
             .project("profile_number_a - 1 as number_a, profile_number_b - 1 as number_b, match_probability")
             .order("match_probability desc, number_a, number_b")
             .to_arrow_table())
    link_a = links.column("number_a").to_numpy()
    link_b = links.column("number_b").to_numpy()
    probability = links.column("match_probability").to_numpy()

    # Components that no guard can split are clusters outright; the loop sees the other links.
    component = component_labels(count, link_a, link_b)
    strong_link = is_strong[link_a] & is_strong[link_b]
    strong_group = component_labels(count, link_a[strong_link], link_b[strong_link])
    free = guard_free(component, profile_table.column("birth_day").to_numpy(),
                      profile_table.column("initial_bits").to_numpy(), is_strong, strong_group, max_profiles)
    in_free = free[component]
    first_member = np.full(len(free), count, dtype=np.int64)
    np.minimum.at(first_member, component, np.arange(count))
    parent_start = np.where(in_free, first_member[component], np.arange(count))
    looped = np.flatnonzero(~in_free[link_a])

    # The loop's view of its profiles (the others are never looked at): birthday, the initials
    # of the given name (as spelt and canonical) and the name parts.
    births: list = [None] * count
    initials: list = [frozenset()] * count
    names: list = [None] * count
    loop_profiles = np.flatnonzero(~in_free)
    loop_table = profile_table.take(pa.array(loop_profiles))
    for number, birth, canonical, key, last in zip(
            loop_profiles.tolist(), *(loop_table.column(column).to_pylist()
                                      for column in ("date_of_birth", "first_canonical", "first_key", "last_key")),
            strict=True):
        births[number] = birth
        initials[number] = frozenset(name[0] for name in (canonical, key) if name)
        names[number] = (canonical, key, last) if canonical or last else None
    strong = is_strong.tolist()

    parent = parent_start.tolist()
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
    for position, left, right in zip(looped.tolist(), link_a[looped].tolist(), link_b[looped].tolist(),
                                     strict=True):
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
