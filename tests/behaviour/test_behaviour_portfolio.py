"""Transition matrix, roll rates and vintage curves against plain pandas counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loanrisk.behaviour import (
    plot_roll_rates,
    plot_vintage_curves,
    roll_rates,
    transition_matrix,
    vintage_curves,
)
from loanrisk.datasets import make_loan_book
from loanrisk.errors import InputError

STATES = ["current", "1-29", "30-59", "60-89", "90+", "defaulted", "closed"]


@pytest.fixture(scope="module")
def book() -> object:
    return make_loan_book(n_accounts=2000, n_months=18, random_state=7)


def _naive_pairs(rep: pd.DataFrame) -> pd.DataFrame:
    r = rep.sort_values(["account_id", "month"]).copy()
    bucket = pd.cut(r["days_past_due"], [-1, 0, 29, 59, 89, 10**6], labels=STATES[:5])
    st = r["status"].astype(str)
    r["state"] = np.where(st.isin(["defaulted", "closed"]), st, bucket.astype(str))
    nxt = r.groupby("account_id").shift(-1)
    ok = nxt["month"] == r["month"] + pd.DateOffset(months=1)
    return pd.DataFrame(
        {
            "from": r["state"][ok],
            "to": nxt["state"][ok],
            "balance": r["balance"][ok],
            "month": nxt["month"][ok],
        }
    )


def test_transition_matrix_equals_crosstab(book) -> None:
    rep = book.repayments
    tm = transition_matrix(rep)
    pairs = _naive_pairs(rep)
    ct = pd.crosstab(pairs["from"], pairs["to"])
    for row in tm.itertuples():
        expected = (
            ct.loc[row.from_state, row.to_state]
            if (row.from_state in ct.index and row.to_state in ct.columns)
            else 0
        )
        assert row.accounts == expected
    assert tm["accounts"].sum() == len(pairs)
    bal = pairs.groupby(["from", "to"])["balance"].sum()
    got = tm.set_index(["from_state", "to_state"])["balance"]
    for (f, t), v in bal.items():
        assert got.loc[(f, t)] == pytest.approx(v)
    sums = tm.groupby("from_state", observed=True)["rate"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    # month filter
    part = transition_matrix(rep, start="2022-06", end="2022-08")
    sel = pairs[(pairs["month"] >= "2022-06-01") & (pairs["month"] <= "2022-08-01")]
    assert part["accounts"].sum() == len(sel)


def test_roll_rates_from_pairs(book) -> None:
    rep = book.repayments
    rr = roll_rates(rep)
    pairs = _naive_pairs(rep)
    order = {s: i for i, s in enumerate(STATES)}
    f = pairs["from"].map(order)
    t = pairs["to"].map(order)
    rolled = (t > f) & (pairs["to"] != "closed")
    g = pd.DataFrame(
        {"month": pairs["month"], "from": pairs["from"], "rolled": rolled, "n": 1}
    )
    agg = g.groupby(["month", "from"]).sum()
    for row in rr.itertuples():
        a = agg.loc[(row.month, row.from_bucket)]
        assert row.accounts == a["n"] and row.accounts_rolled == a["rolled"]
        assert row.roll_rate == pytest.approx(a["rolled"] / a["n"])
    pooled = roll_rates(rep, by_month=False)
    assert pooled["accounts"].sum() == len(pairs)
    assert pooled.loc[pooled["from_bucket"] == "current", "cure_rate"].item() == 0


def test_vintage_curves_against_naive(book) -> None:
    rep, apps = book.repayments, book.applications
    vc = vintage_curves(rep, apps)
    app = apps.set_index("account_id")["application_date"]
    r = rep.assign(vintage=rep["account_id"].map(app))
    r["mob"] = (
        (r["month"].dt.year - r["vintage"].dt.year) * 12
        + r["month"].dt.month
        - r["vintage"].dt.month
    )
    bad = r[(r["days_past_due"] >= 90) | (r["status"] == "defaulted")]
    first_bad = bad.groupby("account_id")["mob"].min()
    cohort = r.groupby("account_id")["vintage"].first()
    v0 = cohort.min()
    members = cohort[cohort == v0].index
    fb = first_bad.reindex(members)
    curve = vc[vc["vintage"] == v0].set_index("months_on_book")
    assert curve["accounts"].iloc[0] == len(members)
    for mob in (1, 6, 12, 17):
        assert curve.loc[mob, "bad"] == int((fb <= mob).sum())
    last = rep["month"].max()
    horizon = vc.groupby("vintage")["months_on_book"].max()
    for v, h in horizon.items():
        assert h == (last.year - v.year) * 12 + last.month - v.month


def test_vintage_input_errors(book) -> None:
    rep, apps = book.repayments, book.applications
    with pytest.raises(InputError, match=r"missing the column\(s\) \['opened'\]"):
        vintage_curves(rep, apps, date_column="opened")
    some = apps[apps["account_id"] != rep["account_id"].iloc[0]]
    with pytest.raises(
        InputError, match="account\\(s\\) of the panel are not in applications"
    ):
        vintage_curves(rep, some)
    late = apps.assign(
        application_date=apps["application_date"] + pd.DateOffset(months=3)
    )
    with pytest.raises(InputError, match="rows before the origination month"):
        vintage_curves(rep, late)
    with pytest.raises(InputError, match="'start' .* is after 'end'"):
        roll_rates(rep, start="2022-09", end="2022-03")


def test_plots(book) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = plot_vintage_curves(vintage_curves(book.repayments, book.applications))
    assert ax.get_ylabel() == "cumulative bad rate"
    ax2 = plot_roll_rates(roll_rates(book.repayments))
    assert len(ax2.get_lines()) == 5
    with pytest.raises(InputError, match="by_month=True"):
        plot_roll_rates(roll_rates(book.repayments, by_month=False))
    plt.close("all")
