"""Profiles grouped into people without chaining.

Links are candidate pairs at or above the link threshold, taken strongest first. A link merges
two clusters only when the merge is guarded:
- the merged cluster stays within `max_profiles` profiles;
- no two profiles across the two clusters contradict each other: they disagree outright on
  something a person keeps for life (date of birth, a declared identifier) and, all evidence
  weighed, are not a likely match themselves (a household: Raymond and Linda Taylor share an
  address and an e-mail, not a birthday). A given name is not such a thing: records carry
  nicknames, initials, a middle name or the family name in its place;
- no bridging through weak records: when both clusters already hold a strong profile (two or
  more of e-mail, phone, date of birth, postcode), the link itself must join two strong ones.
A rejected link is simply not used, so one wrong link cannot chain two people together.

Every pair of profiles inside a connected component of the links is compared and scored like a
candidate pair (`component_pairs`), so the contradictions are known for pairs blocking never
made. Components that hold no contradiction, fit the size cap and link their strong profiles
to each other are clusters outright (most people); the merge loop sees only the others.
"""

from __future__ import annotations

import numpy as np

from c360.graph import component_labels

# A component larger than this is not compared pair by pair (quadratic): its merges are guarded
# by size and strength only. Only a key shared by thousands of profiles makes one.
MAX_COMPARED_COMPONENT = 2000


def component_pairs(count: int, link_a: np.ndarray, link_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (a < b) of profiles within a connected component of three or more profiles
    (a two-profile component is its link), up to MAX_COMPARED_COMPONENT profiles."""
    component = component_labels(count, link_a, link_b)
    sizes = np.bincount(component, minlength=count)
    members = np.flatnonzero((sizes[component] >= 3) & (sizes[component] <= MAX_COMPARED_COMPONENT))
    if len(members) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = members[np.argsort(component[members], kind="stable")]
    labels = component[order]
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    ends = np.r_[starts[1:], len(order)]
    left, right = [], []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        group = order[start:end]
        upper_a, upper_b = np.triu_indices(len(group), k=1)
        left.append(group[upper_a])
        right.append(group[upper_b])
    a, b = np.concatenate(left), np.concatenate(right)
    return np.minimum(a, b), np.maximum(a, b)


def guard_free(component: np.ndarray, conflicted: np.ndarray, strong: np.ndarray, strong_group: np.ndarray,
               max_profiles: int) -> np.ndarray:
    """Per component: True when no guard can reject a link inside it, so that the merge loop
    would join it whole: within `max_profiles`, no contradicting pair, and its strong profiles in
    one group of strong-to-strong links."""
    count = int(component.max()) + 1 if len(component) else 0
    sizes = np.bincount(component, minlength=count)
    has_conflict = np.bincount(component[conflicted], minlength=count) > 0
    lowest = np.full(count, np.iinfo(np.int64).max)
    highest = np.full(count, np.iinfo(np.int64).min)
    np.minimum.at(lowest, component[strong], strong_group[strong])
    np.maximum.at(highest, component[strong], strong_group[strong])
    one_strong_group = (lowest >= highest) | (lowest == np.iinfo(np.int64).max)
    return (sizes <= max_profiles) & ~has_conflict & one_strong_group


def cluster(count: int, link_a: np.ndarray, link_b: np.ndarray, strong: np.ndarray, conflict_a: np.ndarray,
            conflict_b: np.ndarray, max_profiles: int) -> tuple[np.ndarray, np.ndarray]:
    """(cluster root of each profile, which links were used). Links must come strongest first."""
    component = component_labels(count, link_a, link_b)
    strong_link = strong[link_a] & strong[link_b]
    strong_group = component_labels(count, link_a[strong_link], link_b[strong_link])
    conflicted = np.zeros(count, dtype=bool)
    conflicted[conflict_a] = True
    conflicted[conflict_b] = True
    free = guard_free(component, conflicted, strong, strong_group, max_profiles)
    in_free = free[component]
    first_member = np.full(len(free), count, dtype=np.int64)
    np.minimum.at(first_member, component, np.arange(count))
    parent = np.where(in_free, first_member[component], np.arange(count)).tolist()
    looped = np.flatnonzero(~in_free[link_a])

    conflicts: dict[int, set[int]] = {}
    for left, right in zip(conflict_a.tolist(), conflict_b.tolist(), strict=True):
        conflicts.setdefault(left, set()).add(right)
        conflicts.setdefault(right, set()).add(left)
    members: dict[int, list[int]] = {}  # per root with more than one profile, outside free components
    partners: dict[int, set[int]] = {}  # per root: the profiles some member contradicts
    size = [1] * count
    has_strong = strong.tolist()
    is_strong = strong.tolist()

    def find(node: int) -> int:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    used = np.ones(len(link_a), dtype=bool)
    for position, left, right in zip(looped.tolist(), link_a[looped].tolist(), link_b[looped].tolist(), strict=True):
        root_a, root_b = find(left), find(right)
        if root_a == root_b:
            continue
        members_a, members_b = members.get(root_a, [root_a]), members.get(root_b, [root_b])
        partners_a = partners.get(root_a, conflicts.get(root_a, set()))
        partners_b = partners.get(root_b, conflicts.get(root_b, set()))
        if (size[root_a] + size[root_b] > max_profiles
                or (has_strong[root_a] and has_strong[root_b] and not (is_strong[left] and is_strong[right]))
                or (partners_a and not partners_a.isdisjoint(members_b))):
            used[position] = False
            continue
        if size[root_a] < size[root_b]:
            root_a, root_b = root_b, root_a
            members_a, members_b, partners_a, partners_b = members_b, members_a, partners_b, partners_a
        parent[root_b] = root_a
        size[root_a] += size[root_b]
        has_strong[root_a] = has_strong[root_a] or has_strong[root_b]
        members[root_a] = members_a + members_b
        partners[root_a] = partners_a | partners_b
        members.pop(root_b, None)
        partners.pop(root_b, None)

    roots = np.array(parent, dtype=np.int64)
    while True:  # pointer jumping: every profile to its root
        jumped = roots[roots]
        if np.array_equal(jumped, roots):
            break
        roots = jumped
    return roots, used
