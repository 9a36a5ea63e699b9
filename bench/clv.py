"""CLV at scale: simulate a million customers from known BG/NBD and Gamma-Gamma parameters, fit, score.

    python -m bench.clv [--customers 1000000] [--seed 7]

The simulated company acquires customers evenly over a year and is observed for 18 months; each
purchase is a row of a transaction log with a date and an amount, so the timing covers the whole
path the dbt model takes: summarise the log (weeks, one purchase a day), fit both models, score
P(alive), churn risk, expected purchases and a discounted 12-month CLV. Prints seconds per step and
the recovered parameters next to the truth (CDNOW's published values), and, to tell the estimator's
error from the log's, the BG/NBD fit on the exact simulated purchase times as well: a log records
days, and same-day purchases count once, which costs the heaviest buyers a few purchases.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from c360 import clv

TRUTH_BGNBD = clv.BgNbdParams(r=0.243, alpha=4.414, a=0.793, b=2.426, log_likelihood=float("nan"))  # weeks
TRUTH_GAMMA_GAMMA = clv.GammaGammaParams(p=6.25, q=3.74, v=15.44)
START = np.datetime64("2024-01-01")
ACQUISITION_DAYS = 365  # customers make their first purchase evenly over the first year
CALIBRATION_END = START + np.timedelta64(546, "D")  # observed for about 18 months


def simulate(customers: int, seed: int) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """A transaction log (customer id, date, amount) drawn from the true BG/NBD and Gamma-Gamma models,
    and the exact (frequency, recency, T) in weeks before purchase times are cut to days."""
    rng = np.random.default_rng(seed)
    bg, gg = TRUTH_BGNBD, TRUTH_GAMMA_GAMMA
    rate = rng.gamma(bg.r, 1 / bg.alpha, customers)  # purchases a week while alive
    dropout = rng.beta(bg.a, bg.b, customers)  # P(drop out just after a repeat purchase)
    spend_rate = rng.gamma(gg.q, 1 / gg.v, customers)  # nu: each order's amount is Gamma(p, nu)
    first_day = rng.integers(0, ACQUISITION_DAYS, customers)
    horizon = (CALIBRATION_END - START).astype(int) - first_day  # days each customer can be seen buying
    ids, ages = [np.arange(customers)], [np.zeros(customers)]
    active = np.arange(customers)
    clock = np.zeros(customers)  # weeks since the first purchase
    while active.size:
        clock[active] += rng.exponential(1.0, active.size) / rate[active]
        active = active[clock[active] * 7 <= horizon[active]]
        ids.append(active)
        ages.append(clock[active])
        active = active[rng.random(active.size) >= dropout[active]]
    customer = np.concatenate(ids)
    day = first_day[customer] + np.floor(np.concatenate(ages) * 7).astype(np.int64)
    amount = rng.gamma(gg.p, 1 / spend_rate[customer])
    frequency, recency = np.zeros(customers), np.zeros(customers)
    for repeat, age in zip(ids[1:], ages[1:], strict=True):  # rounds in time order: the last one sets recency
        frequency[repeat] += 1
        recency[repeat] = age
    return (customer, START + day.astype("timedelta64[D]"), amount), (frequency, recency, horizon / 7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    clock = time.perf_counter()
    (customer, day, amount), exact = simulate(args.customers, args.seed)
    print(f"simulated {args.customers:,} customers, {customer.size:,} purchases: "
          f"{time.perf_counter() - clock:.1f}s", flush=True)
    seconds = {}

    clock = time.perf_counter()
    summary = clv.summarise_transactions(customer, day, amount, CALIBRATION_END, time_unit="week")
    seconds["summarise"] = time.perf_counter() - clock
    x, t_x, age, m = summary.frequency, summary.recency, summary.T, summary.monetary_value
    distinct = np.unique(np.stack([x, t_x, age]), axis=1).shape[1]
    print(f"summarise: {seconds['summarise']:.2f}s ({distinct:,} distinct (frequency, recency, T) rows)", flush=True)

    clock = time.perf_counter()
    bgnbd = clv.fit_bgnbd(x, t_x, age)
    seconds["fit_bgnbd"] = time.perf_counter() - clock
    clock = time.perf_counter()
    gamma_gamma = clv.fit_gamma_gamma(x, m)
    seconds["fit_gamma_gamma"] = time.perf_counter() - clock
    print(f"fit: BG/NBD {seconds['fit_bgnbd']:.2f}s, Gamma-Gamma {seconds['fit_gamma_gamma']:.2f}s", flush=True)

    clock = time.perf_counter()
    clv.probability_alive(bgnbd, x, t_x, age)
    clv.churn_risk(bgnbd, x, t_x, age, 13.0)
    clv.expected_purchases(bgnbd, x, t_x, age, 52.0)
    value = clv.predicted_clv(bgnbd, gamma_gamma, x, t_x, age, m, periods=12, period_length=clv.DAYS_PER_MONTH / 7,
                              discount_rate=0.01)
    seconds["score"] = time.perf_counter() - clock
    print(f"score (P(alive), 13-week churn risk, 52-week purchases, 12-month CLV): {seconds['score']:.2f}s; "
          f"mean CLV {value.mean():.2f}", flush=True)

    total = sum(seconds.values())
    # The same customers with exact purchase times (not cut to days, no same-day merging): what the
    # estimator itself recovers, apart from how the transaction log records time.
    clock = time.perf_counter()
    exact_fit = clv.fit_bgnbd(*exact)
    seconds_exact = time.perf_counter() - clock
    print(f"fit on the exact simulated times ({np.unique(np.stack(exact), axis=1).shape[1]:,} distinct rows): "
          f"{seconds_exact:.2f}s", flush=True)

    print(f"{'parameter':<10}{'truth':>10}{'from log':>10}{'error':>8}{'exact':>10}{'error':>8}")
    for name, truth, fitted, precise in zip(("r", "alpha", "a", "b"), TRUTH_BGNBD[:4], bgnbd[:4], exact_fit[:4],
                                            strict=True):
        print(f"{name:<10}{truth:>10.3f}{fitted:>10.3f}{fitted / truth - 1:>8.1%}{precise:>10.3f}"
              f"{precise / truth - 1:>8.1%}")
    for name, truth, fitted in zip(("p", "q", "v"), TRUTH_GAMMA_GAMMA, gamma_gamma, strict=True):
        print(f"{name:<10}{truth:>10.3f}{fitted:>10.3f}{fitted / truth - 1:>8.1%}")
    print(f"total from the log (summarise + fit + score): {total:.2f}s")


if __name__ == "__main__":
    main()
