"""behavioural_features: reference values, point-in-time property, chunking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loanrisk.behaviour import behavioural_features
from loanrisk.datasets import make_loan_book

BUCKETS = ["current", "1-29", "30-59", "60-89", "90+"]


def _mnum(ts: pd.Timestamp) -> int:
    return ts.year * 12 + ts.month - 1


def naive_features(
    panel: pd.DataFrame, as_of: str, windows: tuple[int, ...] = (3, 6, 12)
) -> pd.DataFrame:
    """Straightforward per-account pandas: ``groupby("account_id").apply``.

    Written independently of the vectorised code (loops, slicing, np.polyfit).
    """
    t_stamp = pd.Timestamp(as_of)
    t = _mnum(t_stamp)

    def one(df: pd.DataFrame) -> pd.Series | None:
        df = df.sort_values("month")
        m = np.array([_mnum(x) for x in df["month"]])
        rows = df[m <= t]
        mr = m[m <= t]
        if rows.empty or mr[-1] != t:
            return None
        dpd = rows["days_past_due"].to_numpy().astype(int)
        out: dict[str, object] = {"months_on_book": t - mr[0] + 1}
        out["dpd_current"] = dpd[-1]
        out["delinquency_bucket"] = BUCKETS[int(np.digitize(dpd[-1], [1, 30, 60, 90]))]
        dl = np.flatnonzero(dpd > 0)
        out["months_since_delinquency"] = float(t - mr[dl[-1]]) if dl.size else np.nan
        streak = 0
        for v in dpd[::-1]:
            if v > 0:
                break
            streak += 1
        out["ontime_streak"] = streak
        due = rows["amount_due"].to_numpy()
        paid = rows["amount_paid"].to_numpy()
        bal = rows["balance"].to_numpy()
        for w in windows:
            s = f"_{w}m"
            idx = np.flatnonzero(mr > t - w)
            wd = dpd[idx]
            out["dpd_max" + s] = wd.max()
            out["bucket_max" + s] = BUCKETS[int(np.digitize(wd.max(), [1, 30, 60, 90]))]
            for k in (30, 60, 90):
                runs, prev = 0, False
                for v in wd:
                    if v >= k and not prev:
                        runs += 1
                    prev = v >= k
                out[f"n_{k}plus" + s] = runs
            out["n_cures" + s] = sum(
                1 for i in idx if i > 0 and dpd[i] == 0 and dpd[i - 1] > 0
            )
            ok = idx[due[idx] > 0]
            ratio = paid[ok] / due[ok]
            out["payment_ratio_mean" + s] = ratio.mean() if ok.size else np.nan
            out["payment_ratio_min" + s] = ratio.min() if ok.size else np.nan
            x = (mr[ok] - t).astype(float)
            out["payment_ratio_trend" + s] = (
                np.polyfit(x, ratio, 1)[0] if ok.size >= 2 else np.nan
            )
            before = np.flatnonzero(mr <= t - w)
            ref = before[-1] if before.size else 0
            out["balance_change" + s] = (
                bal[-1] / bal[ref] - 1.0 if bal[ref] > 0 else np.nan
            )
        return pd.Series(out)

    res = panel.groupby("account_id").apply(one)
    if isinstance(res, pd.Series):  # some groups returned None
        res = res.unstack()
    res = res.dropna(how="all")
    res.index = pd.MultiIndex.from_arrays(
        [res.index, pd.DatetimeIndex([t_stamp] * len(res), name="as_of")],
        names=["account_id", "as_of"],
    )
    return res


@pytest.fixture(scope="module")
def book() -> object:
    return make_loan_book(n_accounts=1500, n_months=24, random_state=11)


def _compare(fast: pd.DataFrame, ref: pd.DataFrame) -> None:
    assert fast.index.equals(ref.index)
    assert list(fast.columns) == list(ref.columns)
    for col in fast.columns:
        a = fast[col]
        b = ref[col]
        if isinstance(a.dtype, pd.CategoricalDtype):
            assert a.astype(str).tolist() == b.astype(str).tolist(), col
        else:
            np.testing.assert_allclose(
                a.to_numpy(dtype=float),
                b.to_numpy(dtype=float),
                rtol=1e-7,
                atol=1e-9,
                err_msg=col,
            )


@pytest.mark.parametrize("as_of", ["2022-09", "2023-06"])
def test_features_equal_naive_per_account_pandas(book, as_of) -> None:
    rep = book.repayments
    fast = behavioural_features(rep, as_of=as_of)
    ref = naive_features(rep, as_of)
    assert len(fast) > 300
    assert (fast["n_30plus_12m"] > 0).sum() > 10  # the data exercise delinquency
    _compare(fast, ref)


def test_hand_computed_account() -> None:
    months = pd.date_range("2023-01-01", periods=6, freq="MS")
    panel = pd.DataFrame(
        {
            "account_id": ["a"] * 6,
            "month": months,
            "amount_due": [100.0, 100, 200, 300, 100, 100],
            "amount_paid": [100.0, 0, 0, 300, 100, 50],
            "balance": [900.0, 900, 900, 700, 600, 600],
            "days_past_due": [0, 20, 50, 0, 0, 10],
        }
    )
    x = behavioural_features(panel, "2023-06", windows=(3,)).iloc[0]
    assert x["months_on_book"] == 6
    assert x["dpd_current"] == 10 and x["delinquency_bucket"] == "1-29"
    assert x["months_since_delinquency"] == 0 and x["ontime_streak"] == 0
    assert x["dpd_max_3m"] == 10 and x["n_30plus_3m"] == 0
    assert x["n_cures_3m"] == 1  # April: 50 -> 0
    assert x["payment_ratio_mean_3m"] == pytest.approx((1 + 1 + 0.5) / 3)
    assert x["payment_ratio_min_3m"] == 0.5
    assert x["payment_ratio_trend_3m"] == pytest.approx(-0.25)
    assert x["balance_change_3m"] == pytest.approx(600 / 900 - 1)
    y = behavioural_features(panel, "2023-05", windows=(6,)).iloc[0]
    assert y["n_30plus_6m"] == 1 and y["months_since_delinquency"] == 2
    assert y["ontime_streak"] == 2 and y["bucket_max_6m"] == "30-59"


def test_chunked_equals_unchunked_and_input_untouched(book) -> None:
    rep = book.repayments
    before = rep.copy()
    a = behavioural_features(rep, ["2022-12", "2023-12"], chunk_size=None)
    b = behavioural_features(rep, ["2022-12", "2023-12"], chunk_size=97)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(rep, before)
    assert a.index.is_monotonic_increasing


def test_unsorted_panel_is_sorted(book) -> None:
    rep = book.repayments
    shuffled = rep.sample(frac=1.0, random_state=0)
    shuffled.index = pd.RangeIndex(len(shuffled)) + 10_000
    pd.testing.assert_frame_equal(
        behavioural_features(shuffled, "2023-03"), behavioural_features(rep, "2023-03")
    )


def test_utilisation_with_credit_limit() -> None:
    months = pd.date_range("2023-01-01", periods=4, freq="MS")
    panel = pd.DataFrame(
        {
            "account_id": [7] * 4,
            "month": months,
            "amount_due": [50.0] * 4,
            "amount_paid": [50.0] * 4,
            "balance": [200.0, 400, 600, 500],
            "days_past_due": [0] * 4,
            "credit_limit": [1000.0] * 4,
        }
    )
    x = behavioural_features(panel, "2023-04", windows=(3,)).iloc[0]
    assert x["utilisation_mean_3m"] == pytest.approx(0.5)
    assert x["utilisation_max_3m"] == pytest.approx(0.6)
    assert x["utilisation_change_3m"] == pytest.approx(0.3)


_FUTURE_BOOK = make_loan_book(n_accounts=300, n_months=15, random_state=5)
_MONTHS = sorted(_FUTURE_BOOK.repayments["month"].unique())


@settings(max_examples=15)
@given(
    as_of_pos=st.integers(0, len(_MONTHS) - 2),
    seed=st.integers(0, 2**31 - 1),
    new_accounts=st.integers(0, 5),
)
def test_appending_future_rows_changes_nothing(as_of_pos, seed, new_accounts) -> None:
    rep = _FUTURE_BOOK.repayments
    as_of = pd.Timestamp(_MONTHS[as_of_pos])
    past = rep[rep["month"] <= as_of]
    base = behavioural_features(past, as_of)
    rng = np.random.default_rng(seed)
    future = rep[rep["month"] > as_of].copy()
    # arbitrary (valid) future behaviour for the existing accounts
    future["days_past_due"] = rng.integers(0, 200, len(future)).astype(np.int16)
    future["amount_paid"] = np.round(future["amount_due"] * rng.random(len(future)), 2)
    extra = pd.DataFrame(
        {
            "account_id": np.repeat(
                np.arange(10_000, 10_000 + new_accounts, dtype=np.int32), 2
            ),
            "month": pd.to_datetime(
                np.tile(
                    [as_of + pd.DateOffset(months=1), as_of + pd.DateOffset(months=2)],
                    new_accounts,
                )
            ).astype("datetime64[ns]"),
            "amount_due": 10.0,
            "amount_paid": 0.0,
            "balance": 100.0,
            "days_past_due": np.int16(30),
            "status": pd.Categorical(["30-59"] * (2 * new_accounts)),
        }
    )
    full = pd.concat([past, future, extra], ignore_index=True)
    full["status"] = full["status"].astype(str)
    pd.testing.assert_frame_equal(behavioural_features(full, as_of), base)
