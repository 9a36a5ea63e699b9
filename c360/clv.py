"""Customer lifetime value: BG/NBD for purchases and dropout, Gamma-Gamma for order value.

Plain numpy/scipy (lifetimes is unmaintained, pymc-marketing needs Python 3.12), fast enough to
refit on every dbt run: the fits group identical inputs first and weight the likelihood by the
counts, so a million customers with day-resolution dates cost a few seconds, not minutes.

Models (Fader, Hardie & Lee 2005: "Counting your customers the easy way", Marketing Science 24(2);
"RFM and CLV: using iso-value curves", JMR 42(4)):
- BG/NBD: while alive a customer buys at rate lambda ~ Gamma(r, alpha); after each repeat purchase
  they drop out for good with probability p ~ Beta(a, b).
- Gamma-Gamma: a customer's order values are Gamma(p, nu) with nu ~ Gamma(q, v) across customers,
  independent of purchase frequency.

Units, one rule: `recency`, `T` and every horizon `t` are in the same time unit, the one the
BG/NBD model was fitted in (weeks, days, ...). `alpha` is in that unit too, so a model fitted in
weeks scores horizons in weeks. `summarise_transactions` makes the inputs in the unit it is
given. Money is in the currency of the amounts; mix no currencies.

Per customer, over the calibration period (the standard definitions, as in lifetimes):
- `frequency`: repeat purchases, i.e. purchase periods (days by default) after the first one;
- `recency`: age of the customer at their last purchase (0 when frequency is 0), NOT the time
  since the last purchase used in RFM segmentation;
- `T`: age of the customer at the end of the calibration period;
- `monetary_value`: mean value of the repeat purchases (the first one excluded; 0 when none).

API: `summarise_transactions` (log -> RfmSummary), `fit_bgnbd`, `fit_gamma_gamma`, then per customer
`probability_alive`, `expected_purchases`, `probability_no_purchase` (alias `churn_risk`),
`expected_order_value` and `predicted_clv`. Inputs are numpy arrays, pyarrow arrays or sequences;
bad values raise a ValueError naming the rule, how many rows break it and the first one's position.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import optimize, special

ArrayLike = np.ndarray | pa.Array | pa.ChunkedArray | Sequence[float]
DateLike = date | datetime | str | np.datetime64

DAYS_PER_MONTH = 365.25 / 12  # an average calendar month, for horizons and CLV steps in months
_UNIT_DAYS = {"day": 1.0, "week": 7.0}
_EARLIEST, _LATEST = np.datetime64("1900-01-01"), np.datetime64("2199-12-31")  # guards against misread dates
_LOG_BOUND = 25.0  # fitted parameters are kept within exp(+-25) of 1: a fit at the bound is degenerate
_NEAR_ONE = 1e-4  # E[X(t)] has removable singularities at a = 1 and a + b + x = 1: evaluated beside them


class BgNbdParams(NamedTuple):
    """BG/NBD parameters. `alpha` is in the time unit of the data the model was fitted on."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float


class GammaGammaParams(NamedTuple):
    """Gamma-Gamma parameters; `v` is in the currency of the monetary values."""

    p: float
    q: float
    v: float


# ---------------------------------------------------------------------------------------------
# Inputs: arrays in, clear errors out.


def _dot(left: np.ndarray, right: np.ndarray) -> float:
    """Sum of products without BLAS: OpenBLAS's threads spin after each call and, on a busy 2-core
    machine (dbt running beside us), slowed the fits 3-6x; einsum's own loop is as fast alone."""
    return float(np.einsum("i,i->", left, right))


def _as_float(values: ArrayLike, name: str) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray | pa.Array):
        if values.null_count:
            first = int(np.flatnonzero(pc.is_null(values).to_numpy(zero_copy_only=False))[0])
            raise ValueError(f"{name} has {values.null_count} null values (first at position {first}); "
                             "fill or drop those customers first")
        values = values.to_numpy(zero_copy_only=False)
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    _fail_where(~np.isfinite(array), f"{name} is not a finite number (NaN, null or infinite)", {name: array},
                "fill or drop those customers first")
    return array


def _fail_where(mask: np.ndarray, problem: str, columns: dict[str, np.ndarray], advice: str) -> None:
    """Raise a ValueError naming how many rows break a rule, the first one, its values and a fix."""
    if not mask.any():
        return
    rows = np.flatnonzero(mask)
    shown = ", ".join(f"{name}={column[rows[0]]}" for name, column in columns.items())
    raise ValueError(f"{problem}: {rows.size} of {mask.size} rows, first at position {rows[0]} ({shown}); {advice}")


def _same_length(**arrays: np.ndarray) -> None:
    lengths = {name: array.size for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"inputs differ in length: {lengths}; pass one value per customer in each")


def _check_history(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> tuple[np.ndarray, ...]:  # noqa: N803
    x, t_x, age = _as_float(frequency, "frequency"), _as_float(recency, "recency"), _as_float(T, "T")
    _same_length(frequency=x, recency=t_x, T=age)
    columns = {"frequency": x, "recency": t_x, "T": age}
    _fail_where(x < 0, "frequency (repeat purchases) is negative", columns, "it counts purchases after the first")
    _fail_where(x != np.round(x), "frequency (repeat purchases) is not a whole number", columns,
                "it counts purchases after the first")
    _fail_where(t_x < 0, "recency is negative", columns, "it is the customer's age at their last purchase")
    _fail_where(age < 0, "T is negative", columns, "it is the customer's age at the end of the calibration period")
    _fail_where(t_x > age, "recency > T", columns,
                "recency is the age at the last purchase, so it cannot exceed the age T: check the calibration "
                "end date and that both are in the same time unit")
    _fail_where((x == 0) & (t_x != 0), "recency is not 0 for customers with frequency 0", columns,
                "recency is the age at the last repeat purchase (0 without one), not the time since the last "
                "purchase used in RFM: see summarise_transactions")
    return x, t_x, age


def _check_horizon(t: float, name: str = "t") -> float:
    t = float(t)
    if not np.isfinite(t) or t < 0:
        raise ValueError(f"{name}={t} must be a finite, non-negative length of time (in the unit of T)")
    return t


def _group(*columns: np.ndarray, weights: np.ndarray | None = None) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Distinct rows of the columns, in lexicographic order: (their values, total weight, each input row's group).

    Each column becomes dense codes, combined into one integer key: one sort per column and one of the
    key, twice as fast as np.lexsort over float columns."""
    key, size = np.zeros(columns[0].size, dtype=np.int64), 1
    for column in columns:
        values, codes = np.unique(column, return_inverse=True)
        if size * values.size >= 2**62:  # keep the key within int64: renumber the groups so far
            _, key = np.unique(key, return_inverse=True)
            size = int(key.max()) + 1
        key = key * values.size + codes
        size *= values.size
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    counts = np.bincount(inverse, weights=weights, minlength=first.size).astype(np.float64)
    return [column[first] for column in columns], counts, inverse


def _check_weights(weights: ArrayLike | None, size: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = _as_float(weights, "weights")
    _same_length(weights=w, frequency=np.empty(size))
    _fail_where(w < 0, "weights are negative", {"weights": w}, "weights count customers")
    return w


# ---------------------------------------------------------------------------------------------
# BG/NBD


@dataclass(frozen=True)
class _BgNbdData:
    """Distinct (x, t_x, T) rows with their counts; `xs` the distinct x values, `ix` each row's x."""

    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    count: np.ndarray
    xs: np.ndarray
    ix: np.ndarray
    count_x: np.ndarray


def _bgnbd_negative_log_likelihood(theta: np.ndarray, data: _BgNbdData) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood over customers and its gradient in log-parameters (FHL 2005, eq. 6).

    L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x)),
    summed as logaddexp of the two log-terms; terms that depend on x alone are computed once per x."""
    r, alpha, a, b = np.exp(theta)
    xs, ix, x, n = data.xs, data.ix, data.x, data.count
    repeat = xs > 0
    xs1 = np.where(repeat, xs, 1.0)
    log_b0 = special.betaln(a, b)
    b1 = special.betaln(a, b + xs) - log_b0
    b2 = np.where(repeat, special.betaln(a + 1, b + xs1 - 1) - log_b0, -np.inf)
    rx = r + x
    log_age, log_last = np.log(alpha + data.T), np.log(alpha + data.t_x)
    l1 = b1[ix] - rx * log_age
    l2 = b2[ix] - rx * log_last
    mix = np.logaddexp(l1, l2)
    total = n.sum()
    gamma_x = special.gammaln(r + xs) - special.gammaln(r)
    log_likelihood = _dot(data.count_x, gamma_x) + total * r * np.log(alpha) + _dot(n, mix)

    w1, w2 = n * np.exp(l1 - mix), n * np.exp(l2 - mix)  # each customer's weight on "alive" / "dropped out"
    psi_ab, psi_abx = special.digamma(a + b), special.digamma(a + b + xs)
    psi_b = special.digamma(b)
    d_r = (_dot(data.count_x, special.digamma(r + xs) - special.digamma(r)) + total * np.log(alpha)
           - _dot(w1, log_age) - _dot(w2, log_last))
    d_alpha = total * r / alpha - _dot(w1 * rx, 1 / (alpha + data.T)) - _dot(w2 * rx, 1 / (alpha + data.t_x))
    w1_x = np.bincount(ix, weights=w1, minlength=xs.size)
    w2_x = np.bincount(ix, weights=w2, minlength=xs.size)
    d_a = w1_x @ (psi_ab - psi_abx) + w2_x @ np.where(
        repeat, special.digamma(a + 1) - special.digamma(a) - psi_abx + psi_ab, 0.0)
    d_b = w1_x @ (special.digamma(b + xs) - psi_abx - psi_b + psi_ab) + w2_x @ np.where(
        repeat, special.digamma(b + xs1 - 1) - psi_abx - psi_b + psi_ab, 0.0)
    gradient = np.array([d_r, d_alpha, d_a, d_b]) * np.array([r, alpha, a, b])
    if not np.isfinite(log_likelihood):
        return np.inf, np.zeros(4)
    return -log_likelihood / total, -gradient / total


def _minimise(objective, start: np.ndarray, data, what: str) -> optimize.OptimizeResult:
    """L-BFGS-B in log-parameters from a few starts; the best result, polished by Nelder-Mead if unconverged."""
    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * start.size
    best = None
    for shift in (0.0, -1.0, 1.0):
        result = optimize.minimize(objective, start + shift, args=(data,), jac=True, method="L-BFGS-B",
                                   bounds=bounds, options={"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-9})
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun - 1e-12):
            best = result
        if best is not None and best.success and shift == 0.0:
            break  # the usual case: the first start converged; other starts are a fallback
    if best is None:
        raise RuntimeError(f"{what}: the likelihood is not finite at any start; check the inputs")
    if not best.success:
        polished = optimize.minimize(lambda theta: objective(theta, data)[0], best.x, method="Nelder-Mead",
                                     options={"xatol": 1e-10, "fatol": 1e-13, "maxiter": 4000})
        if polished.fun <= best.fun:
            best = polished
    if not best.success:
        warnings.warn(f"{what}: the optimiser did not report convergence ({best.message}); "
                      "check the fitted parameters", RuntimeWarning, stacklevel=3)
    if np.any(np.abs(best.x) > _LOG_BOUND - 1e-3):
        warnings.warn(f"{what}: a parameter reached its bound (log-parameters {np.round(best.x, 2)}); the data "
                      "cannot identify it (e.g. no sign of dropout), so treat the fit with care",
                      RuntimeWarning, stacklevel=3)
    return best


def fit_bgnbd(frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,  # noqa: N803
              weights: ArrayLike | None = None) -> BgNbdParams:
    """Maximum-likelihood BG/NBD fit (Fader, Hardie & Lee 2005).

    frequency: repeat purchases per customer; recency: age at the last purchase; T: age at the end of
    calibration, both in one time unit (the unit `alpha` and every later horizon are in). weights:
    optional count of customers per row, for inputs already grouped (e.g. in SQL). Identical rows are
    grouped here anyway, so the cost grows with the distinct (frequency, recency, T) rows."""
    x, t_x, age = _check_history(frequency, recency, T)
    w = _check_weights(weights, x.size)
    (x, t_x, age), count, _ = _group(x, t_x, age, weights=w)
    keep = count > 0
    x, t_x, age, count = x[keep], t_x[keep], age[keep], count[keep]
    if count.sum() == 0:
        raise ValueError("fit_bgnbd: no customers to fit")
    if _dot(count, x) == 0:
        raise ValueError("fit_bgnbd: no customer has a repeat purchase (frequency > 0), so purchase rates and "
                         "dropout cannot be estimated; use a longer calibration period")
    xs, ix = np.unique(x, return_inverse=True)
    data = _BgNbdData(x, t_x, age, count, xs, ix, np.bincount(ix, weights=count, minlength=xs.size))
    # Start at r = a = b = 1 with the rate alpha implied by the mean purchase rate (r / alpha = rate).
    rate = _dot(count, x) / max(_dot(count, age), 1e-12)
    start = np.log([1.0, 1.0 / max(rate, 1e-9), 1.0, 1.0])
    result = _minimise(_bgnbd_negative_log_likelihood, np.clip(start, -10, 10), data, "fit_bgnbd")
    r, alpha, a, b = np.exp(result.x)
    return BgNbdParams(float(r), float(alpha), float(a), float(b), float(-result.fun * count.sum()))


def _bgnbd_log_terms(params: BgNbdParams, x: np.ndarray, t_x: np.ndarray,
                     ages: Sequence[np.ndarray]) -> tuple[list[np.ndarray], np.ndarray]:
    """Log of the likelihood's "alive at age T" term for each age in `ages`, and its "dropped out" term.

    Both leave out the factor G(r+x) alpha^r / G(r), common to all terms and cancelling in the ratios."""
    r, alpha, a, b = params[:4]
    xs, ix = np.unique(x, return_inverse=True)
    repeat = xs > 0
    log_b0 = special.betaln(a, b)
    b1 = (special.betaln(a, b + xs) - log_b0)[ix]
    b2 = np.where(repeat, special.betaln(a + 1, b + np.where(repeat, xs, 1.0) - 1) - log_b0, -np.inf)[ix]
    rx = r + x
    return [b1 - rx * np.log(alpha + age) for age in ages], b2 - rx * np.log(alpha + t_x)


def probability_alive(params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike,
                      T: ArrayLike) -> np.ndarray:  # noqa: N803
    """P(customer still active at age T | history), in [0, 1] (FHL 2005, eq. 11).

    By construction it is 1 for every customer without a repeat purchase: use `churn_risk`."""
    x, t_x, age = _check_history(frequency, recency, T)
    (alive,), dropped = _bgnbd_log_terms(params, x, t_x, [age])
    return special.expit(alive - dropped)


def probability_no_purchase(params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,  # noqa: N803
                            t: float) -> np.ndarray:
    """P(no purchase in the next t | history) = P(X(t) = 0 | x, t_x, T): the churn risk over horizon t.

    A customer makes no purchase in (T, T + t] if they have dropped out, or are alive and the
    purchase process stays silent for t (dropout happens only just after a purchase). Integrating
    over the BG/NBD priors, that is the likelihood with the "alive" term's (alpha + T) replaced by
    (alpha + T + t), divided by the likelihood itself. For a one-time buyer it is
    ((alpha + T) / (alpha + T + t))^r, which is not 0, whereas 1 - P(alive) is 0 for them."""
    t = _check_horizon(t)
    x, t_x, age = _check_history(frequency, recency, T)
    (now, later), dropped = _bgnbd_log_terms(params, x, t_x, [age, age + t])
    return np.clip(np.exp(np.logaddexp(later, dropped) - np.logaddexp(now, dropped)), 0.0, 1.0)


churn_risk = probability_no_purchase  # 1 - P(at least one purchase in the next t | history)


def _expected_if_alive(params: BgNbdParams, x: np.ndarray, age: np.ndarray, t: float) -> np.ndarray:
    """E[X(t) | alive at T, x, T]: the unconditional BG/NBD mean with (r+x, alpha+T, a, b+x).

    Written with Euler's transformation, 2F1(r+x, b+x; c; z) = (1-z)^(c-r-b-2x) 2F1(a-1, a+b-1-r; c; z)
    with c = a+b+x-1 and z = t/(alpha+T+t): the textbook (and lifetimes) form overflows to inf/NaN
    for long horizons or many purchases; this one agreed with 50-digit mpmath to 2e-7 (relative) over
    r, a in (0.02, 20), alpha in (0.05, 1100), b in (0.05, 55), x up to 1000 and t/(alpha+T) up to 7e4.
    The formula has removable singularities at a = 1 and c = 0: within _NEAR_ONE of them it is the
    mean of the values on either side (to 2e-6)."""
    r, alpha, a, b = params[:4]
    if t == 0:
        return np.zeros(age.size)
    singular = np.r_[1.0, 1.0 - b - np.unique(x)]  # values of a at which the formula is 0/0
    if np.min(np.abs(a - singular)) >= _NEAR_ONE:
        with np.errstate(invalid="ignore", over="ignore"):
            direct = _expected_if_alive_direct(r, alpha, a, b, x, age, t)
        # no dropout at all would give t (r + x) / (alpha + T): anything outside [0, that] is 2F1 failing
        most = t * (r + x) / (alpha + age) * (1 + 1e-9)
        overflow = ~np.isfinite(direct) | (direct < 0) | (direct > most)
        if overflow.any():
            direct[overflow] = _expected_if_alive_fixed_dropout(r, alpha, a, b, x[overflow], age[overflow], t)
        return direct
    for step in _NEAR_ONE * np.array([2.0, 3.0, 5.0, 7.0]):
        if np.min(np.abs(np.subtract.outer([a - step, a + step], singular))) >= _NEAR_ONE:
            break
    sides = [_expected_if_alive_direct(r, alpha, a + side, b, x, age, t) for side in (-step, step)]
    return 0.5 * (sides[0] + sides[1])


def _expected_if_alive_fixed_dropout(r: float, alpha: float, a: float, b: float, x: np.ndarray, age: np.ndarray,
                                     t: float) -> np.ndarray:
    """E[X(t) | alive] when Beta(a, b) is a point mass (a + b in the thousands: a fit on little data
    with no spread in dropout sends a and b to the bound), where 2F1 overflows or fails: with the dropout
    probability fixed at its posterior mean p = a / (a + b + x), E[X(t) | lambda] = (1 - e^(-lambda p t)) / p,
    averaged over lambda ~ Gamma(r + x, alpha + T). Relative error O(x^2 / (a + b)): 4e-4 at x = 40,
    a + b = 5,000."""
    p = a / (a + b + x)
    # log1p, not a difference of logs: with alpha in the billions (no spread in purchase rates) and p
    # near 0 the difference is below double precision and the mean came out 0
    return -np.expm1(-(r + x) * np.log1p(p * t / (alpha + age))) / p


def _expected_if_alive_direct(r: float, alpha: float, a: float, b: float, x: np.ndarray, age: np.ndarray,
                              t: float) -> np.ndarray:
    log_rest = np.log(alpha + age) - np.log(alpha + age + t)  # log(1 - z)
    z = t / (alpha + age + t)
    c = a + b + x - 1
    # 1 - (1-z)^(a-1) F = -expm1((a-1) log(1-z)) - (1-z)^(a-1) (F - 1), kept apart to avoid cancellation
    head = -np.expm1((a - 1) * log_rest)
    tail = np.exp((a - 1) * log_rest) * (special.hyp2f1(a - 1, a + b - 1 - r, c, z) - 1)
    return c / (a - 1) * (head - tail)


def _expected_purchases_at(params: BgNbdParams, x: np.ndarray, t_x: np.ndarray, age: np.ndarray,
                           horizons: Sequence[float]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """P(alive) per customer, each customer's distinct (x, T) group, and E[X(t) | alive] per group
    for each horizon: the costly part depends on x and T only, and is computed once per group."""
    (alive,), dropped = _bgnbd_log_terms(params, x, t_x, [age])
    (xs, ages), _, group = _group(x, age)
    return special.expit(alive - dropped), group, [_expected_if_alive(params, xs, ages, t) for t in horizons]


def expected_purchases(params: BgNbdParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike,  # noqa: N803
                       t: float) -> np.ndarray:
    """E[purchases in the next t | history] (FHL 2005, eq. 10), t in the time unit of T."""
    t = _check_horizon(t)
    x, t_x, age = _check_history(frequency, recency, T)
    p_alive, group, (if_alive,) = _expected_purchases_at(params, x, t_x, age, [t])
    return p_alive * if_alive[group]


# ---------------------------------------------------------------------------------------------
# Gamma-Gamma


@dataclass(frozen=True)
class _GammaGammaData:
    """Distinct (x, m) rows with their counts, x-only terms per distinct x, and fixed sums."""

    xm: np.ndarray  # x * m per row
    count: np.ndarray
    count_by_x: np.ndarray  # count * x per row
    xs: np.ndarray
    count_x: np.ndarray
    sum_log_m: float  # sum of count * log m
    sum_x_log_m: float  # sum of count * x * log m

    @classmethod
    def build(cls, x: np.ndarray, m: np.ndarray, count: np.ndarray) -> _GammaGammaData:
        xs, ix = np.unique(x, return_inverse=True)
        log_m = np.log(m)
        return cls(x * m, count, count * x, xs, np.bincount(ix, weights=count, minlength=xs.size),
                   _dot(count, log_m), _dot(count * x, log_m))


def _gamma_gamma_negative_log_likelihood(theta: np.ndarray, data: _GammaGammaData) -> tuple[float, np.ndarray]:
    """Mean negative log-likelihood of the customers' mean order values and its gradient (FHL 2005b).

    log f(m | p, q, v, x) = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v+xm);
    the gamma functions depend on x alone and are computed once per distinct x."""
    p, q, v = np.exp(theta)
    xs, n_x, n = data.xs, data.count_x, data.count
    total = n.sum()
    pxs = p * xs
    psi = special.digamma(pxs + q)
    log_vxm = np.log(v + data.xm)
    by_x_log_vxm, log_vxm_sum = _dot(data.count_by_x, log_vxm), _dot(n, log_vxm)
    log_likelihood = (n_x @ (special.gammaln(pxs + q) - special.gammaln(pxs) + pxs * np.log(xs))
                      + total * (q * np.log(v) - special.gammaln(q)) + p * data.sum_x_log_m - data.sum_log_m
                      - p * by_x_log_vxm - q * log_vxm_sum)
    d_p = (n_x * xs) @ (psi - special.digamma(pxs) + np.log(xs)) + data.sum_x_log_m - by_x_log_vxm
    d_q = n_x @ psi - total * special.digamma(q) + total * np.log(v) - log_vxm_sum
    d_v = total * q / v - _dot(p * data.count_by_x + q * n, 1 / (v + data.xm))
    if not np.isfinite(log_likelihood):
        return np.inf, np.zeros(3)
    return -log_likelihood / total, -np.array([d_p * p, d_q * q, d_v * v]) / total


def _check_spend(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x, m = _as_float(frequency, "frequency"), _as_float(monetary_value, "monetary_value")
    _same_length(frequency=x, monetary_value=m)
    columns = {"frequency": x, "monetary_value": m}
    _fail_where(x < 0, "frequency (repeat purchases) is negative", columns, "it counts purchases after the first")
    _fail_where(x != np.round(x), "frequency (repeat purchases) is not a whole number", columns,
                "it counts purchases after the first")
    _fail_where((x > 0) & (m <= 0), "monetary_value is not positive for customers with repeat purchases", columns,
                "the Gamma-Gamma model needs a positive mean order value: net refunds into their orders or "
                "leave those customers out of the fit")
    return x, m


def fit_gamma_gamma(frequency: ArrayLike, monetary_value: ArrayLike,
                    weights: ArrayLike | None = None) -> GammaGammaParams:
    """Maximum-likelihood Gamma-Gamma fit over the customers with repeat purchases (frequency > 0).

    monetary_value: each customer's mean repeat-purchase value (currency units); rows with
    frequency 0 are ignored, whatever their monetary_value. The model assumes order value is
    independent of purchase frequency: check their correlation across customers first."""
    x, m = _check_spend(frequency, monetary_value)
    w = _check_weights(weights, x.size)
    repeat = x > 0
    if w is not None:
        repeat &= w > 0
    if not repeat.any():
        raise ValueError("fit_gamma_gamma: no customer has a repeat purchase (frequency > 0) to fit order values on")
    (x, m), count, _ = _group(x[repeat], m[repeat], weights=None if w is None else w[repeat])
    data = _GammaGammaData.build(x, m, count)
    # Start at p = 1, q = 2, where the population mean order value p v / (q - 1) is v: the mean of m.
    start = np.log([1.0, 2.0, _dot(count, m) / count.sum()])
    result = _minimise(_gamma_gamma_negative_log_likelihood, start, data, "fit_gamma_gamma")
    p, q, v = np.exp(result.x)
    if q <= 1:
        warnings.warn(f"fit_gamma_gamma: q={q:.3g} <= 1, so the population's mean order value is infinite; "
                      "look for outliers in monetary_value", RuntimeWarning, stacklevel=2)
    return GammaGammaParams(float(p), float(q), float(v))


def expected_order_value(params: GammaGammaParams, frequency: ArrayLike, monetary_value: ArrayLike) -> np.ndarray:
    """E[mean order value | x repeat purchases averaging m] = p (v + x m) / (p x + q - 1), in currency.

    A weighted mean of the population mean p v / (q - 1) and the customer's own m, with more weight
    on m the more purchases they made; customers without repeat purchases get the population mean."""
    x, m = _check_spend(frequency, monetary_value)
    p, q, v = params
    denominator = p * x + q - 1
    _fail_where(denominator <= 0, f"expected_order_value: q={q:.3g} <= 1 makes the mean order value infinite",
                {"frequency": x}, "refit without outliers in monetary_value")
    return p * (v + np.where(x > 0, x * m, 0.0)) / denominator


# ---------------------------------------------------------------------------------------------
# CLV


def predicted_clv(bgnbd: BgNbdParams, gamma_gamma: GammaGammaParams, frequency: ArrayLike, recency: ArrayLike,
                  T: ArrayLike, monetary_value: ArrayLike, *, periods: int, period_length: float,  # noqa: N803
                  discount_rate: float = 0.0) -> np.ndarray:
    """Expected discounted value of each customer's purchases over the next `periods` periods.

    Sum over k = 1..periods of (E[X(k L)] - E[X((k-1) L)]) x E[order value] / (1 + discount_rate)^k,
    L = period_length. Units: period_length is one period in the time unit of recency and T (a month
    is DAYS_PER_MONTH / 7 weeks when T is in weeks); discount_rate is per period (0.01 a month is
    12.7% a year), applied at the end of each period; the result is in the currency of monetary_value."""
    if int(periods) != periods or periods < 1:
        raise ValueError(f"periods={periods} must be a whole number >= 1")
    length = _check_horizon(period_length, "period_length")
    if length == 0:
        raise ValueError("period_length must be positive (in the time unit of T)")
    if not np.isfinite(discount_rate) or discount_rate <= -1:
        raise ValueError(f"discount_rate={discount_rate} must be > -1 (a rate per period, e.g. 0.01)")
    x, t_x, age = _check_history(frequency, recency, T)
    order_value = expected_order_value(gamma_gamma, x, monetary_value)
    steps = [k * length for k in range(int(periods) + 1)]
    p_alive, group, if_alive = _expected_purchases_at(bgnbd, x, t_x, age, steps)
    discounted = sum((if_alive[k] - if_alive[k - 1]) / (1 + discount_rate) ** k for k in range(1, len(steps)))
    return p_alive * discounted[group] * order_value


# ---------------------------------------------------------------------------------------------
# Transaction log -> per-customer summary


@dataclass(frozen=True)
class RfmSummary:
    """One row per customer whose first purchase falls in the calibration period.

    Times are in the summary's time unit; frequency_holdout / duration_holdout are set when a
    holdout end date was given (purchases after the calibration end, up to it)."""

    customer_id: np.ndarray
    frequency: np.ndarray
    recency: np.ndarray
    T: np.ndarray
    monetary_value: np.ndarray
    frequency_holdout: np.ndarray | None = None
    duration_holdout: float | None = None

    def __len__(self) -> int:
        return self.customer_id.size

    def to_arrow(self) -> pa.Table:
        columns = {"customer_id": self.customer_id, "frequency": self.frequency, "recency": self.recency,
                   "T": self.T, "monetary_value": self.monetary_value}
        if self.frequency_holdout is not None:
            columns["frequency_holdout"] = self.frequency_holdout
        return pa.table({name: pa.array(values) for name, values in columns.items()})


def _as_days(values: ArrayLike | Sequence[DateLike], name: str) -> np.ndarray:
    """Days since 1970-01-01 (int64); timestamps are cut to their (UTC) date."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        if values.null_count:
            first = int(np.flatnonzero(pc.is_null(values).to_numpy(zero_copy_only=False))[0])
            raise ValueError(f"{name} has {values.null_count} null dates (first at position {first})")
        values = values.to_numpy(zero_copy_only=False)
    try:
        days = np.asarray(values).astype("datetime64[D]")
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must hold dates (datetime64, date, or ISO 'YYYY-MM-DD' text): {error}") from None
    if days.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {days.shape}")
    _fail_where(np.isnat(days), f"{name} is missing (NaT)", {name: days}, "drop those rows or fill the date")
    _fail_where((days < _EARLIEST) | (days > _LATEST), f"{name} is outside {_EARLIEST} to {_LATEST}", {name: days},
                "check the date format: text dates must be 'YYYY-MM-DD' (numpy reads '19970101' as a year)")
    return days.astype(np.int64)


def _as_day(value: DateLike, name: str) -> int:
    try:
        day = np.datetime64(value, "D")
    except (TypeError, ValueError):
        day = np.datetime64("NaT")
    if np.isnat(day) or not _EARLIEST <= day <= _LATEST:
        raise ValueError(f"{name} is not a date between {_EARLIEST} and {_LATEST}: {value!r} (use 'YYYY-MM-DD')")
    return int(day.astype(np.int64))


def _customer_codes(customer_id: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct ids, each row's index into them)."""
    if isinstance(customer_id, pa.ChunkedArray | pa.Array):
        if customer_id.null_count:
            first = int(np.flatnonzero(pc.is_null(customer_id).to_numpy(zero_copy_only=False))[0])
            raise ValueError(f"customer_id has {customer_id.null_count} nulls (first at position {first})")
        if isinstance(customer_id, pa.ChunkedArray):
            customer_id = customer_id.combine_chunks()
        if pa.types.is_string_view(customer_id.type) or pa.types.is_binary_view(customer_id.type):
            customer_id = customer_id.cast(pa.large_string() if pa.types.is_string_view(customer_id.type)
                                           else pa.large_binary())  # pyarrow sorts no views
        encoded = customer_id.dictionary_encode()  # hashing: faster than sorting a million strings
        order = pc.array_sort_indices(encoded.dictionary).to_numpy()
        rank = np.empty(order.size, dtype=np.intp)
        rank[order] = np.arange(order.size)
        return encoded.dictionary.take(pa.array(order)).to_numpy(zero_copy_only=False), \
            rank[encoded.indices.to_numpy()]
    ids = np.asarray(customer_id)
    if ids.ndim != 1:
        raise ValueError(f"customer_id must be one-dimensional, got shape {ids.shape}")
    if ids.dtype.kind == "f":
        _fail_where(np.isnan(ids), "customer_id is missing (NaN)", {"customer_id": ids}, "drop those rows")
    elif ids.dtype == object:
        _fail_where(np.array([i is None for i in ids], dtype=bool), "customer_id is missing (None)",
                    {"customer_id": ids}, "drop those rows")
    return np.unique(ids, return_inverse=True)


def summarise_transactions(customer_id: ArrayLike, date: ArrayLike | Sequence[DateLike], amount: ArrayLike,
                           calibration_end: DateLike, *, time_unit: Literal["day", "week"] | float = "week",
                           collapse: Literal["day", "unit"] = "day",
                           holdout_end: DateLike | None = None) -> RfmSummary:
    """Per-customer frequency, recency, T and monetary_value from a transaction log (one row a purchase).

    calibration_end: last day of the calibration period (inclusive); later purchases are left out
    (or counted in frequency_holdout, up to holdout_end inclusive), and customers whose first purchase
    comes after it are left out. time_unit: "day", "week", or a number of days (365.25 / 12 for months).
    collapse: "day" (default, and the published CDNOW figures) counts the purchases of one customer on
    one day as one purchase of their summed amount, with times in days / time_unit (lifetimes'
    freq="D" with freq_multiplier); "unit" counts purchases per calendar unit instead (weeks start
    on Monday; other units count from 1970-01-01) with whole-number times (lifetimes' freq="W"), and
    then calibration_end and holdout_end must be the last day of a unit.
    monetary_value is the mean amount of the repeat purchases (the first one left out, 0 without any)."""
    unit = _UNIT_DAYS.get(time_unit) if isinstance(time_unit, str) else float(time_unit)
    if unit is None or not np.isfinite(unit) or unit <= 0:
        raise ValueError(f"time_unit={time_unit!r} must be 'day', 'week' or a positive number of days")
    if collapse not in ("day", "unit"):
        raise ValueError(f"collapse={collapse!r} must be 'day' (one purchase a day) or 'unit' (one a time unit)")
    days = _as_days(date, "date")
    values = _as_float(amount, "amount")
    ids, codes = _customer_codes(customer_id)
    _same_length(customer_id=codes, date=days, amount=values)
    _fail_where(values < 0, "amount is negative", {"amount": values},
                "net refunds into the orders they refund before summarising")
    end = _as_day(calibration_end, "calibration_end")
    last = end if holdout_end is None else _as_day(holdout_end, "holdout_end")
    if last < end:
        raise ValueError(f"holdout_end {holdout_end} is before calibration_end {calibration_end}")

    if collapse == "unit" and unit != 1.0:
        offset = 3 if unit == 7.0 else 0  # 1970-01-01 was a Thursday: weeks start on Monday

        def period(day: np.ndarray | int) -> np.ndarray:
            return np.floor((np.asarray(day) + offset) / unit).astype(np.int64)

        for name, boundary, given in (("calibration_end", end, calibration_end), ("holdout_end", last, holdout_end)):
            if given is not None and period(boundary + 1) == period(boundary):
                raise ValueError(f"{name} {given} is not the last day of a time unit; with collapse='unit' "
                                 "periods must not straddle it (for weeks, use a Sunday)")
        scale = 1.0
    else:
        def period(day: np.ndarray | int) -> np.ndarray:
            return np.asarray(day, dtype=np.int64)

        scale = 1.0 / unit

    keep = days <= last
    codes, days, values = codes[keep], days[keep], values[keep]
    (customer, when), spend, _ = _group(codes, period(days), weights=values)  # one row per customer-period
    starts = np.flatnonzero(np.r_[True, customer[1:] != customer[:-1]]) if customer.size else np.zeros(0, np.intp)
    first = np.repeat(when[starts], np.diff(np.r_[starts, customer.size]))
    end_period, last_period = int(period(end)), int(period(last))
    member = first <= end_period  # rows of customers who bought in the calibration period
    in_calibration = member & (when <= end_period)
    repeat = in_calibration & (when > first)

    n_customers = starts.size
    which = np.cumsum(np.r_[True, customer[1:] != customer[:-1]]) - 1 if customer.size else np.zeros(0, np.intp)
    frequency = np.bincount(which, weights=repeat, minlength=n_customers)
    latest = np.full(n_customers, np.iinfo(np.int64).min)
    np.maximum.at(latest, which[in_calibration], when[in_calibration])
    repeat_spend = np.bincount(which, weights=np.where(repeat, spend, 0.0), minlength=n_customers)
    included = first[starts] <= end_period
    first_period = when[starts]

    frequency = frequency[included].astype(np.int64)
    summary = {
        "customer_id": ids[customer[starts][included]],
        "frequency": frequency,
        "recency": (latest[included] - first_period[included]) * scale,
        "T": (end_period - first_period[included]) * scale,
        "monetary_value": np.divide(repeat_spend[included], frequency, out=np.zeros(frequency.size),
                                    where=frequency > 0),
    }
    if holdout_end is not None:
        later = member & (when > end_period) & (when <= last_period)
        summary["frequency_holdout"] = np.bincount(which, weights=later, minlength=n_customers)[included].astype(
            np.int64)
        summary["duration_holdout"] = float((last_period - end_period) * scale)
    return RfmSummary(**summary)
