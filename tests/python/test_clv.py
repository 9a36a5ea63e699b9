"""c360.clv on real data (the CDNOW sample, against its published fits) and on data simulated from the model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from scipy import integrate, optimize, special

from c360 import clv

CDNOW = Path(__file__).parents[1] / "fixtures" / "cdnow" / "CDNOW_sample.txt"
CALIBRATION_END = "1997-09-30"  # 39 weeks from 1997-01-01, inclusive
HOLDOUT_END = "1998-06-30"  # the next 39 weeks
# Fader, Hardie & Lee (2005) on this sample, weeks as the unit; Gamma-Gamma over the 946 repeat buyers.
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LOG_LIKELIHOOD = -9582.4
PUBLISHED_GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
CDNOW_FIT = clv.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=PUBLISHED_LOG_LIKELIHOOD)


@pytest.fixture(scope="module")
def cdnow_log() -> dict[str, np.ndarray]:
    """The raw purchase log: master-file id, sample id, ISO date, CDs, dollars."""
    master, sample, day, quantity, amount = np.loadtxt(CDNOW, dtype=str, unpack=True)
    dates = np.array([f"{d[:4]}-{d[4:6]}-{d[6:]}" for d in day], dtype="datetime64[D]")
    return {"master_id": master, "customer_id": sample, "date": dates, "quantity": quantity.astype(int),
            "amount": amount.astype(float)}


@pytest.fixture(scope="module")
def cdnow(cdnow_log) -> clv.RfmSummary:
    return clv.summarise_transactions(cdnow_log["customer_id"], cdnow_log["date"], cdnow_log["amount"],
                                      CALIBRATION_END, time_unit="week", holdout_end=HOLDOUT_END)


@pytest.fixture(scope="module")
def cdnow_bgnbd(cdnow) -> clv.BgNbdParams:
    return clv.fit_bgnbd(cdnow.frequency, cdnow.recency, cdnow.T)


def simulate(params: clv.BgNbdParams, customers: int, seed: int, holdout: float = 39.0) -> dict[str, np.ndarray]:
    """Customers drawn from BG/NBD in continuous time (weeks), observed for 26-78 weeks and then `holdout` more."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(params.r, 1 / params.alpha, customers)
    dropout = rng.beta(params.a, params.b, customers)
    age = rng.uniform(26, 78, customers)
    x, t_x, x_holdout = np.zeros(customers), np.zeros(customers), np.zeros(customers)
    alive = np.ones(customers, dtype=bool)
    clock = np.zeros(customers)
    active = np.arange(customers)
    while active.size:
        clock[active] += rng.exponential(1.0, active.size) / rate[active]
        active = active[clock[active] <= age[active] + holdout]
        calibration = clock[active] <= age[active]
        x[active[calibration]] += 1
        t_x[active[calibration]] = clock[active[calibration]]
        x_holdout[active[~calibration]] += 1
        drops = rng.random(active.size) < dropout[active]
        alive[active[drops & calibration]] = False
        active = active[~drops]
    return {"frequency": x, "recency": t_x, "T": age, "holdout": x_holdout, "alive": alive}


# --- the data ------------------------------------------------------------------------------------


def test_cdnow_file_is_one_cohort_and_the_second_column_numbers_its_customers(cdnow_log):
    assert cdnow_log["amount"].size == 6919
    pairs = set(zip(cdnow_log["master_id"], cdnow_log["customer_id"], strict=True))
    assert len(pairs) == np.unique(cdnow_log["master_id"]).size == np.unique(cdnow_log["customer_id"]).size == 2357
    assert np.unique(cdnow_log["customer_id"].astype(int)).tolist() == list(range(1, 2358))
    first = {}
    for customer, day in zip(cdnow_log["customer_id"], cdnow_log["date"], strict=True):
        first[customer] = min(first.get(customer, day), day)
    assert min(first.values()) == np.datetime64("1997-01-01") and max(first.values()) <= np.datetime64("1997-03-31")
    assert cdnow_log["date"].max() == np.datetime64("1998-06-30") and (cdnow_log["amount"] >= 0).all()


def test_cdnow_summary_by_hand(cdnow, cdnow_log):
    # Customer 0001 bought on 1997-01-01, -01-18, -08-02 (and 1997-12-12, in the holdout).
    assert len(cdnow) == 2357 and (cdnow.frequency > 0).sum() == 946
    one = np.flatnonzero(cdnow.customer_id == "0001")[0]
    assert cdnow.frequency[one] == 2 and cdnow.frequency_holdout[one] == 1
    assert cdnow.recency[one] == pytest.approx(213 / 7) and cdnow.T[one] == pytest.approx(272 / 7)
    assert cdnow.monetary_value[one] == pytest.approx((29.73 + 14.96) / 2)
    assert cdnow.duration_holdout == 39.0
    # One purchase a day: 6,919 rows are 6,696 customer-days, split between the two periods.
    in_calibration = cdnow_log["date"] <= np.datetime64(CALIBRATION_END)
    days = {(c, d) for c, d, k in zip(cdnow_log["customer_id"], cdnow_log["date"], in_calibration, strict=True) if k}
    assert len(days) == cdnow.frequency.sum() + len(cdnow)
    assert cdnow.frequency.sum() + cdnow.frequency_holdout.sum() + len(cdnow) == 6696


# --- fits against the published figures ------------------------------------------------------------


def test_bgnbd_reproduces_the_published_cdnow_fit(cdnow_bgnbd):
    for name, published in PUBLISHED_BGNBD.items():
        assert getattr(cdnow_bgnbd, name) == pytest.approx(published, rel=0.01), name
    assert cdnow_bgnbd.log_likelihood == pytest.approx(PUBLISHED_LOG_LIKELIHOOD, abs=0.1)


def test_gamma_gamma_reproduces_the_published_cdnow_fit(cdnow):
    fitted = clv.fit_gamma_gamma(cdnow.frequency, cdnow.monetary_value)
    for name, published in PUBLISHED_GAMMA_GAMMA.items():
        assert getattr(fitted, name) == pytest.approx(published, rel=0.01), name


def grouped_bgnbd_data(summary: clv.RfmSummary) -> clv._BgNbdData:
    (x, t_x, age), count, _ = clv._group(summary.frequency.astype(float), summary.recency, summary.T)
    xs, ix = np.unique(x, return_inverse=True)
    return clv._BgNbdData(x, t_x, age, count, xs, ix, np.bincount(ix, weights=count))


def test_the_fit_is_a_maximum(cdnow, cdnow_bgnbd):
    """Moving any parameter 1% either way lowers the likelihood."""
    data = grouped_bgnbd_data(cdnow)

    def log_likelihood(params: np.ndarray) -> float:
        return -clv._bgnbd_negative_log_likelihood(np.log(params), data)[0] * len(cdnow)

    best = np.array(cdnow_bgnbd[:4])
    assert log_likelihood(best) == pytest.approx(cdnow_bgnbd.log_likelihood, abs=1e-6)
    for i in range(4):
        for factor in (0.99, 1.01):
            moved = best.copy()
            moved[i] *= factor
            assert log_likelihood(moved) < cdnow_bgnbd.log_likelihood


@pytest.mark.parametrize("model", ["bgnbd", "gamma_gamma"])
def test_gradients_match_finite_differences(cdnow, model):
    if model == "bgnbd":
        data = grouped_bgnbd_data(cdnow)
        objective, points = clv._bgnbd_negative_log_likelihood, [[-1.4, 1.5, -0.2, 0.9], [0.5, -1.0, 1.0, -0.5]]
    else:
        repeat = cdnow.frequency > 0
        data = clv._GammaGammaData.build(cdnow.frequency[repeat].astype(float), cdnow.monetary_value[repeat],
                                         np.ones(repeat.sum()))
        objective, points = clv._gamma_gamma_negative_log_likelihood, [[1.8, 1.3, 2.7], [0.0, 0.5, 1.0]]
    for theta in np.array(points):
        analytic = objective(theta, data)[1]
        numeric = optimize.approx_fprime(theta, lambda t: objective(t, data)[0], 1e-7)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-7)


def naive_bgnbd_log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, age: np.ndarray) -> float:
    """FHL (2005) eq. 6, customer by customer, in plain (not log) space: an independent check."""
    r, alpha, a, b = params
    common = special.gamma(r + x) * alpha**r / special.gamma(r)
    alive = special.beta(a, b + x) / special.beta(a, b) * common / (alpha + age) ** (r + x)
    dropped = np.where(x > 0, special.beta(a + 1, np.maximum(b + x - 1, 1e-9)) / special.beta(a, b), 0.0)
    return float(np.sum(np.log(alive + dropped * common / (alpha + t_x) ** (r + x))))


def test_grouping_gives_the_same_fit_as_the_customer_by_customer_likelihood(cdnow):
    rows = np.random.default_rng(3).choice(len(cdnow), 400, replace=False)
    x, t_x, age = cdnow.frequency[rows].astype(float), cdnow.recency[rows], cdnow.T[rows]
    fitted = clv.fit_bgnbd(x, t_x, age)
    ungrouped = optimize.minimize(lambda theta: -naive_bgnbd_log_likelihood(np.exp(theta), x, t_x, age),
                                  np.log(fitted[:4]) + 0.3, method="Nelder-Mead",
                                  options={"xatol": 1e-9, "fatol": 1e-10, "maxiter": 5000})
    np.testing.assert_allclose(fitted[:4], np.exp(ungrouped.x), rtol=1e-3)
    assert fitted.log_likelihood == pytest.approx(-ungrouped.fun, abs=1e-6)
    assert fitted.log_likelihood == pytest.approx(naive_bgnbd_log_likelihood(np.array(fitted[:4]), x, t_x, age))
    # Rows grouped by the caller (e.g. in SQL) and passed with weights: the same fit.
    (gx, gt_x, gage), count, _ = clv._group(x, t_x, age)
    assert count.size < x.size
    np.testing.assert_allclose(clv.fit_bgnbd(gx, gt_x, gage, weights=count), fitted, rtol=1e-9)


def test_gamma_gamma_grouped_with_weights_is_the_same_fit(cdnow):
    x, m = cdnow.frequency, cdnow.monetary_value
    doubled = clv.fit_gamma_gamma(np.r_[x, x], np.r_[m, m])
    weighted = clv.fit_gamma_gamma(x, m, weights=np.full(x.size, 2.0))
    np.testing.assert_allclose(doubled, weighted, rtol=1e-9)
    np.testing.assert_allclose(doubled, clv.fit_gamma_gamma(x, m), rtol=1e-6)  # duplicating data keeps the MLE


@pytest.mark.parametrize("truth", [
    clv.BgNbdParams(0.243, 4.414, 0.793, 2.426, 0.0),  # CDNOW: most customers rarely buy
    clv.BgNbdParams(2.0, 8.0, 0.4, 6.0, 0.0),  # frequent buyers who rarely drop out
    clv.BgNbdParams(0.8, 3.0, 2.5, 3.0, 0.0),  # quick dropout
])
def test_the_fit_recovers_simulated_parameters(truth):
    data = simulate(truth, 40_000, seed=11)
    fitted = clv.fit_bgnbd(data["frequency"], data["recency"], data["T"])
    np.testing.assert_allclose(fitted[:4], truth[:4], rtol=0.06)


# --- scores --------------------------------------------------------------------------------------------


def test_scores_are_in_range(cdnow, cdnow_bgnbd):
    gamma_gamma = clv.fit_gamma_gamma(cdnow.frequency, cdnow.monetary_value)
    x, t_x, age, m = cdnow.frequency, cdnow.recency, cdnow.T, cdnow.monetary_value
    # Extremes besides CDNOW: a brand-new customer, a heavy buyer, a long-silent one.
    x, t_x, age, m = np.r_[x, 0, 300, 5], np.r_[t_x, 0, 38, 0.5], np.r_[age, 0, 38.5, 500], np.r_[m, 0, 12, 40]
    for t in (0.0, 1.0, 39.0, 520.0, 5200.0):
        for name, probability in (("p_alive", clv.probability_alive(cdnow_bgnbd, x, t_x, age)),
                                  ("churn_risk", clv.churn_risk(cdnow_bgnbd, x, t_x, age, t))):
            assert np.isfinite(probability).all() and (probability >= 0).all() and (probability <= 1).all(), name
        expected = clv.expected_purchases(cdnow_bgnbd, x, t_x, age, t)
        assert np.isfinite(expected).all() and (expected >= 0).all()
    value = clv.predicted_clv(cdnow_bgnbd, gamma_gamma, x, t_x, age, m, periods=120,
                              period_length=clv.DAYS_PER_MONTH / 7, discount_rate=0.01)
    assert np.isfinite(value).all() and (value >= 0).all()
    assert (clv.expected_order_value(gamma_gamma, x, m) > 0).all()


def test_expected_purchases_grow_with_the_horizon_and_churn_risk_falls(cdnow, cdnow_bgnbd):
    x, t_x, age = cdnow.frequency, cdnow.recency, cdnow.T
    horizons = [0.0, 1.0, 4.0, 13.0, 39.0, 104.0, 520.0]
    expected = np.array([clv.expected_purchases(cdnow_bgnbd, x, t_x, age, t) for t in horizons])
    risk = np.array([clv.churn_risk(cdnow_bgnbd, x, t_x, age, t) for t in horizons])
    assert (expected[0] == 0).all() and (risk[0] == 1).all()
    assert (np.diff(expected, axis=0) > 0).all()
    assert (np.diff(risk, axis=0) <= 0).all()
    p_alive = clv.probability_alive(cdnow_bgnbd, x, t_x, age)
    assert (np.diff(risk[:5, p_alive > 1e-9], axis=0) < 0).all()  # strictly, until float rounding flattens it
    # Churn risk is at least P(dropped out), and tends to it once an active buyer would surely have bought.
    assert (risk >= 1 - p_alive - 1e-12).all()
    np.testing.assert_allclose(risk[-1, x >= 10], 1 - p_alive[x >= 10], atol=1e-6)
    # Over a short horizon the expected purchases are the current rate times t.
    rate = p_alive * (cdnow_bgnbd.r + x) / (cdnow_bgnbd.alpha + age)
    np.testing.assert_allclose(clv.expected_purchases(cdnow_bgnbd, x, t_x, age, 1e-6), rate * 1e-6, rtol=1e-4)


def test_a_one_time_buyers_churn_risk_is_not_trivially_zero(cdnow_bgnbd):
    r, alpha = cdnow_bgnbd.r, cdnow_bgnbd.alpha
    one_time = ([0, 0], [0, 0], [38.86, 10.0])
    assert (clv.probability_alive(cdnow_bgnbd, *one_time) == 1).all()  # why 1 - P(alive) is no churn score
    risk = clv.churn_risk(cdnow_bgnbd, *one_time, 39.0)
    np.testing.assert_allclose(risk, ((alpha + np.array([38.86, 10.0])) / (alpha + np.array([38.86, 10.0]) + 39)) ** r)
    assert 0.5 < risk[0] < 1 and risk[1] < risk[0]  # the newer customer is likelier to buy again
    # Among repeat buyers, one who bought lately is at lower risk than one silent for months.
    recent, silent = clv.churn_risk(cdnow_bgnbd, [3, 3], [38.0, 10.0], [38.86, 38.86], 39.0)
    assert recent < risk[0] < silent


def expected_if_alive_by_quadrature(params: clv.BgNbdParams, x: float, age: float, t: float) -> float:
    """E[X(t) | alive] = E_p[(1 - (1 + p t / (alpha + T))^-(r + x)) / p], p ~ Beta(a, b + x), integrated numerically."""
    r, alpha, a, b = params[:4]
    def mean_if_alive(p: float) -> float:
        return (r + x) * t / (alpha + age) if p == 0 else -np.expm1(-(r + x) * np.log1p(p * t / (alpha + age))) / p

    log_beta = special.betaln(a, b + x)
    if a < 1:  # substitute p = u^(1/a) to take the p^(a-1) singularity out of the integrand
        def integrand(u: float) -> float:
            p = u ** (1 / a)
            return np.exp((b + x - 1) * np.log1p(-p) - log_beta) / a * mean_if_alive(p)
    else:
        def integrand(p: float) -> float:
            return np.exp((a - 1) * np.log(p) + (b + x - 1) * np.log1p(-p) - log_beta) * mean_if_alive(p)
    return integrate.quad(integrand, 0, 1, epsabs=0, epsrel=1e-10, limit=500)[0]


@pytest.mark.parametrize("a", [0.793, 1.0, 1.0 + 3e-5, 2.5])
def test_expected_purchases_match_numerical_integration(cdnow_bgnbd, a):
    """The closed form against the integral it comes from, out to long horizons where the textbook form overflows."""
    params = cdnow_bgnbd._replace(a=a)
    x, t_x, age = np.array([0, 1, 5, 29, 150]), np.array([0, 2.0, 20, 38, 38.5]), np.array([38.86, 30, 38.86, 39, 39])
    p_alive = clv.probability_alive(params, x, t_x, age)
    for t in (0.5, 39.0, 520.0, 5200.0):
        expected = clv.expected_purchases(params, x, t_x, age, t)
        oracle = [expected_if_alive_by_quadrature(params, *row, t) for row in zip(x, age, strict=True)]
        np.testing.assert_allclose(expected, p_alive * np.array(oracle), rtol=1e-6)


def test_scores_agree_with_what_simulated_customers_then_did():
    """With the true parameters, predictions summed over customers match the simulated holdout."""
    truth = clv.BgNbdParams(0.243, 4.414, 0.793, 2.426, 0.0)
    data = simulate(truth, 200_000, seed=5, holdout=39.0)
    x, t_x, age = data["frequency"], data["recency"], data["T"]
    expected = clv.expected_purchases(truth, x, t_x, age, 39.0)
    assert expected.sum() == pytest.approx(data["holdout"].sum(), rel=0.03)
    no_purchase = clv.probability_no_purchase(truth, x, t_x, age, 39.0)
    assert no_purchase.sum() == pytest.approx((data["holdout"] == 0).sum(), rel=0.005)
    p_alive = clv.probability_alive(truth, x, t_x, age)
    assert p_alive.sum() == pytest.approx(data["alive"].sum(), rel=0.005)
    repeat = x > 0  # and where it matters: among repeat buyers, whom raw P(alive) could score
    assert no_purchase[repeat].sum() == pytest.approx((data["holdout"][repeat] == 0).sum(), rel=0.01)


def test_cdnow_holdout_is_forecast_in_the_right_range(cdnow, cdnow_bgnbd):
    """The published model under-forecasts CDNOW's second 39 weeks a little (1,653 vs 1,882 repeat purchases)."""
    x, t_x, age, holdout = cdnow.frequency, cdnow.recency, cdnow.T, cdnow.frequency_holdout
    expected = clv.expected_purchases(cdnow_bgnbd, x, t_x, age, cdnow.duration_holdout)
    assert 0.8 < expected.sum() / holdout.sum() < 1.0
    no_purchase = clv.probability_no_purchase(cdnow_bgnbd, x, t_x, age, cdnow.duration_holdout)
    assert no_purchase.sum() == pytest.approx((holdout == 0).sum(), rel=0.06)


def test_expected_order_value_shrinks_towards_the_population_mean(cdnow):
    params = clv.fit_gamma_gamma(cdnow.frequency, cdnow.monetary_value)
    population = params.p * params.v / (params.q - 1)
    values = clv.expected_order_value(params, [0, 1, 10, 10_000], [0.0, 100.0, 100.0, 100.0])
    assert values[0] == pytest.approx(population)
    assert population < values[1] < values[2] < values[3] < 100.0 and values[3] == pytest.approx(100, rel=1e-3)


def test_predicted_clv_sums_discounted_purchases_times_order_value(cdnow, cdnow_bgnbd):
    gamma_gamma = clv.fit_gamma_gamma(cdnow.frequency, cdnow.monetary_value)
    x, t_x, age, m = cdnow.frequency, cdnow.recency, cdnow.T, cdnow.monetary_value
    month = clv.DAYS_PER_MONTH / 7
    order_value = clv.expected_order_value(gamma_gamma, x, m)
    undiscounted = clv.predicted_clv(cdnow_bgnbd, gamma_gamma, x, t_x, age, m, periods=12, period_length=month)
    year = clv.expected_purchases(cdnow_bgnbd, x, t_x, age, 12 * month)
    np.testing.assert_allclose(undiscounted, year * order_value, rtol=1e-9)
    discounted = clv.predicted_clv(cdnow_bgnbd, gamma_gamma, x, t_x, age, m, periods=12, period_length=month,
                                   discount_rate=0.01)
    assert (discounted < undiscounted).all() and (discounted > undiscounted / 1.01**12).all()
    by_hand = sum((clv.expected_purchases(cdnow_bgnbd, x, t_x, age, k * month)
                   - clv.expected_purchases(cdnow_bgnbd, x, t_x, age, (k - 1) * month)) / 1.01**k
                  for k in range(1, 13)) * order_value
    np.testing.assert_allclose(discounted, by_hand, rtol=1e-9)


# --- the summariser ---------------------------------------------------------------------------------------


def test_summary_counts_one_purchase_a_day_and_averages_repeat_purchases_only():
    summary = clv.summarise_transactions(
        ["a", "a", "a", "a", "a", "b", "c", "d"],
        ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-03-10", "2024-01-10", "2024-03-05",
         "2024-02-29"],
        [10.0, 5.0, 20.0, 30.0, 40.0, 7.0, 3.0, 9.0],
        "2024-02-29", time_unit="week", holdout_end="2024-03-31")
    assert summary.customer_id.tolist() == ["a", "b", "d"]  # c first bought after the calibration period
    assert summary.frequency.tolist() == [2, 0, 0]
    np.testing.assert_allclose(summary.recency, [42 / 7, 0, 0])
    np.testing.assert_allclose(summary.T, [59 / 7, 50 / 7, 0])
    np.testing.assert_allclose(summary.monetary_value, [25.0, 0, 0])
    assert summary.frequency_holdout.tolist() == [1, 0, 0] and summary.duration_holdout == pytest.approx(31 / 7)
    in_days = clv.summarise_transactions(["a", "a"], ["2024-01-01", "2024-01-15"], [1.0, 2.0], "2024-02-29",
                                         time_unit="day")
    assert in_days.recency.tolist() == [14.0] and in_days.T.tolist() == [59.0] and in_days.frequency_holdout is None


def test_summary_by_calendar_week_like_lifetimes_weekly():
    # 2024-01-01 is a Monday: the first three purchases share a week, the fourth starts the next.
    log = (["a"] * 4, ["2024-01-01", "2024-01-03", "2024-01-07", "2024-01-08"], [1.0, 2.0, 3.0, 4.0])
    summary = clv.summarise_transactions(*log, "2024-01-28", collapse="unit")
    assert (summary.frequency[0], summary.recency[0], summary.T[0], summary.monetary_value[0]) == (1, 1.0, 3.0, 4.0)
    with pytest.raises(ValueError, match="2024-01-30 is not the last day of a time unit"):
        clv.summarise_transactions(*log, "2024-01-30", collapse="unit")


def test_summary_takes_arrow_columns_as_the_dbt_model_passes_them(cdnow_log, cdnow):
    timestamps = pa.array(cdnow_log["date"].astype("datetime64[us]") + np.timedelta64(13, "h"),
                          pa.timestamp("us", tz="UTC"))
    half = cdnow_log["amount"].size // 2
    table = pa.table({"customer_id": pa.chunked_array([cdnow_log["customer_id"][:half],
                                                       cdnow_log["customer_id"][half:]]),
                      "ordered_at": timestamps, "amount": cdnow_log["amount"]})
    from_arrow = clv.summarise_transactions(table["customer_id"], table["ordered_at"], table["amount"],
                                            np.datetime64(CALIBRATION_END).astype(object), holdout_end=HOLDOUT_END)
    for name in ("customer_id", "frequency", "recency", "T", "monetary_value", "frequency_holdout"):
        np.testing.assert_array_equal(getattr(from_arrow, name), getattr(cdnow, name), err_msg=name)
    arrow = from_arrow.to_arrow()
    assert arrow.num_rows == 2357 and arrow.column_names[:5] == ["customer_id", "frequency", "recency", "T",
                                                                  "monetary_value"]
    refit = clv.fit_bgnbd(arrow["frequency"], arrow["recency"], arrow["T"])
    assert refit.r == pytest.approx(PUBLISHED_BGNBD["r"], rel=0.01)
    views = clv.summarise_transactions(table["customer_id"].cast(pa.string_view()), table["ordered_at"],
                                       table["amount"], CALIBRATION_END)  # what newer engines hand over
    np.testing.assert_array_equal(views.customer_id, cdnow.customer_id)


# --- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("frequency", "recency", "T", "message"), [
    ([1, -1, 0], [1.0, 2.0, 0.0], [3.0, 3.0, 3.0], r"frequency \(repeat purchases\) is negative: 1 of 3 rows, "
                                                   r"first at position 1 \(frequency=-1.0"),
    ([1, 2, 0], [1.0, 4.0, 0.0], [3.0, 3.0, 3.0], r"recency > T: 1 of 3 rows, first at position 1 \(.*recency=4.0, "
                                                  r"T=3.0\).*calibration end date"),
    ([1, 2.5, 0], [1.0, 2.0, 0.0], [3.0, 3.0, 3.0], r"not a whole number: .*position 1"),
    ([1, 0, 0], [1.0, 0.0, 2.0], [3.0, 3.0, 3.0], r"recency is not 0 for customers with frequency 0: .*position 2.*"
                                                  r"not the time since the last purchase"),
    ([1, 1, 0], [1.0, np.nan, 0.0], [3.0, 3.0, 3.0], r"recency is not a finite number.*position 1"),
    ([1, 1, 0], [1.0, 1.0, 0.0], [3.0, -3.0, 3.0], r"T is negative.*position 1"),
    ([1, 1], [1.0, 1.0, 0.0], [3.0, 3.0, 3.0], r"inputs differ in length"),
    (pa.array([1, None, 0]), [1.0, 1.0, 0.0], [3.0, 3.0, 3.0], r"frequency has 1 null values \(first at position 1\)"),
])
def test_bad_history_is_refused_saying_what_and_where(frequency, recency, T, message):  # noqa: N803
    for score in (lambda: clv.fit_bgnbd(frequency, recency, T),
                  lambda: clv.probability_alive(CDNOW_FIT, frequency, recency, T),
                  lambda: clv.churn_risk(CDNOW_FIT, frequency, recency, T, 4.0)):
        with pytest.raises(ValueError, match=message):
            score()


def test_other_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="no customer has a repeat purchase"):
        clv.fit_bgnbd([0, 0], [0, 0], [5, 6])
    with pytest.raises(ValueError, match=r"monetary_value is not positive .* position 1"):
        clv.fit_gamma_gamma([1, 2, 0], [3.0, 0.0, 0.0])
    with pytest.raises(ValueError, match=r"amount is negative: 1 of 2 rows, first at position 1"):
        clv.summarise_transactions(["a", "a"], ["2024-01-01", "2024-01-02"], [5.0, -5.0], "2024-02-01")
    with pytest.raises(ValueError, match=r"date is outside 1900-01-01 to 2199-12-31: .*'YYYY-MM-DD'"):
        clv.summarise_transactions(["a"], ["19970101"], [5.0], "2024-02-01")  # numpy reads it as a year
    with pytest.raises(ValueError, match="must hold dates"):
        clv.summarise_transactions(["a"], ["1/2/1997"], [5.0], "2024-02-01")
    with pytest.raises(ValueError, match="calibration_end is not a date"):
        clv.summarise_transactions(["a"], ["1997-01-01"], [5.0], "19970930")
    with pytest.raises(ValueError, match="t=-1.0 must be a finite, non-negative"):
        clv.expected_purchases(CDNOW_FIT, [1], [1.0], [2.0], -1)
    with pytest.raises(ValueError, match="discount_rate"):
        clv.predicted_clv(CDNOW_FIT, clv.GammaGammaParams(6.25, 3.74, 15.44), [1], [1.0], [2.0], [10.0], periods=3,
                          period_length=4.0, discount_rate=-1.5)


def test_expected_purchases_stay_finite_when_dropout_has_no_spread():
    """A fit on a few hundred customers can send a and b to the bound (dropout probability the
    same for everyone); 2F1 overflows there, the fixed-dropout limit takes over and agrees with
    the exact formula where both work."""
    x = np.array([0.0, 1.0, 3.0, 10.0, 40.0])
    t_x = np.array([0.0, 10.0, 50.0, 100.0, 110.0])
    age = np.array([20.0, 60.0, 100.0, 120.0, 120.0])
    degenerate = clv.BgNbdParams(0.663, 17.566, 6.3e9, 7.2e10, 0.0)
    expected = clv.expected_purchases(degenerate, x, t_x, age, 52.0)
    assert np.all(np.isfinite(expected)) and np.all(expected > 0)
    near = clv.BgNbdParams(0.663, 17.566, 0.08 * 5000, 0.92 * 5000, 0.0)  # still exact here
    exact = clv._expected_if_alive(near, x, age, 52.0)
    limit = clv._expected_if_alive_fixed_dropout(0.663, 17.566, near.a, near.b, x, age, 52.0)
    np.testing.assert_allclose(limit, exact, rtol=1e-3)


def test_expected_purchases_when_purchase_rates_have_no_spread_either():
    """The fit on a ten-customer shop: r and alpha in the billions (every customer buys at one
    rate, 0.075 a week) and a near 0 (dropout probability about 3e-9). 2F1 fails there and the
    mean came out 0; it is the no-dropout mean t (r + x) / (alpha + T), which bounds it from above
    (quadrature over p ~ Beta(1.9e-5, ...) is itself unreliable here: it lands above that bound)."""
    params = clv.BgNbdParams(5.414e9, 7.2005e10, 1.94e-5, 6383.6, 0.0)
    x, t_x, age = np.array([0.0, 1.0, 6.0, 10.0]), np.array([0.0, 10.0, 35.0, 40.0]), np.array([20.0, 30.0, 40.0, 41.0])
    if_alive = clv.expected_purchases(params, x, t_x, age, 52.0) / clv.probability_alive(params, x, t_x, age)
    no_dropout = 52.0 * (params.r + x) / (params.alpha + age)
    assert np.all(if_alive <= no_dropout)
    np.testing.assert_allclose(if_alive, no_dropout, rtol=1e-6)
