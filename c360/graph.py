"""Graph helpers shared by the clustering model and the evaluation."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def component_labels(count: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The connected component of each of `count` nodes (numbered from 0) over the undirected
    edges (left[i], right[i])."""
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(count, count))
    return connected_components(graph, directed=False)[1]
