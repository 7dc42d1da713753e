"""Tests of the synthetic loan-book simulator ``make_loan_book``."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from loanrisk.datasets import LoanBook, _loanbook, make_loan_book
from loanrisk.errors import InputError

REPAYMENT_COLUMNS = [
    "account_id",
    "month",
    "amount_due",
    "amount_paid",
    "balance",
    "days_past_due",
    "status",
]
STATUSES = ["current", "1-29", "30-59", "60-89", "90+", "defaulted", "closed"]
NUMERIC = [
    "income",
    "age",
    "employment_years",
    "existing_debt",
    "bureau_score",
    "recent_enquiries",
    "amount",
    "annual_rate",
    "term",
]


@pytest.fixture(scope="module")
def book() -> LoanBook:
    return make_loan_book(n_accounts=3000, n_months=24, random_state=7)


@pytest.fixture(scope="module")
def big_book() -> LoanBook:
    return make_loan_book(n_accounts=20_000, n_months=24, random_state=11)


def _month_no(values: pd.Series | pd.Index) -> np.ndarray:
    ts = pd.DatetimeIndex(values)
    months: np.ndarray = np.asarray(ts.year * 12 + ts.month - 1, dtype=np.int64)
    return months


def _annuity(amount: np.ndarray, rate: np.ndarray, term: np.ndarray) -> np.ndarray:
    """Textbook annuity payment (numpy-financial ``pmt`` with the sign flipped)."""
    i = rate / 12.0
    return amount * i * (1 + i) ** term / ((1 + i) ** term - 1)


def check_invariants(book: LoanBook) -> None:
    apps, rep, truth = book.applications, book.repayments, book.truth
    # Keys, no missing values where there must be none.
    assert apps["account_id"].is_unique
    assert not apps[["account_id", "application_date"]].isna().any().any()
    assert not rep.isna().any().any()
    assert not truth.isna().any().any()
    assert (truth["account_id"].to_numpy() == apps["account_id"].to_numpy()).all()
    assert (apps["application_date"].dt.day == 1).all()
    assert apps["application_date"].between(book.window_start, book.window_end).all()
    # Rejected applicants have no rows; rows only for accepted accounts.
    accepted_ids = apps.loc[apps["accepted"], "account_id"]
    assert rep["account_id"].isin(accepted_ids).all()
    if rep.empty:
        return
    acc = rep["account_id"].to_numpy(dtype=np.int64)
    month = _month_no(rep["month"])
    # Sorted by account then month, consecutive months, first = application + 1.
    same = acc[1:] == acc[:-1]
    assert (np.diff(acc) >= 0).all()
    assert (np.diff(month)[same] == 1).all()
    by_id = apps.set_index("account_id")
    app_month = _month_no(by_id.loc[acc, "application_date"])
    first = np.r_[True, ~same]
    last = np.r_[~same, True]
    assert (month[first] - app_month[first] == 1).all()
    assert (month >= _month_no(pd.Index([book.window_start]))[0]).all()
    end = _month_no(pd.Index([book.window_end]))[0]
    assert (month <= end).all()
    # Closed / defaulted rows are final; open accounts run to the window end.
    status = rep["status"].to_numpy(dtype=object)
    final = np.isin(status, ["closed", "defaulted"])
    assert not (final & ~last).any()
    assert (month[last][~final[last]] == end).all()
    # Amounts.
    due = rep["amount_due"].to_numpy()
    paid = rep["amount_paid"].to_numpy()
    bal = rep["balance"].to_numpy()
    assert (bal >= 0).all()
    assert (paid >= 0).all()
    assert (due > 0).all()
    assert ((paid <= due + 1e-9) | (status == "closed")).all()
    assert (bal[status == "closed"] == 0).all()
    assert (bal[status != "closed"] > 0).all()
    assert (np.diff(bal)[same] <= 1e-9).all()  # never increases
    # Balance moves only when something is paid.
    moved = np.abs(np.diff(bal)) > 0
    assert (paid[1:][same & moved] > 0).all()
    # Amount due is a whole number of instalments (prepayment rows aside).
    inst = np.round(
        _annuity(
            by_id.loc[acc, "amount"].to_numpy(),
            by_id.loc[acc, "annual_rate"].to_numpy(),
            by_id.loc[acc, "term"].to_numpy(),
        ),
        2,
    )
    n_inst = due / inst
    assert np.allclose(n_inst, np.round(n_inst), atol=1e-6)
    # Status matches the days-past-due bucket.
    dpd = rep["days_past_due"].to_numpy(dtype=np.int64)
    buckets = {
        "current": (0, 0),
        "closed": (0, 0),
        "1-29": (1, 29),
        "30-59": (30, 59),
        "60-89": (60, 89),
        "90+": (90, 119),
        "defaulted": (120, 149),
    }
    for name, (lo, hi) in buckets.items():
        sel = status == name
        assert ((dpd[sel] >= lo) & (dpd[sel] <= hi)).all(), name
    # DPD: +30 per unpaid month, unchanged when one instalment is paid,
    # 0 once all arrears are paid; same residue mod 30 for the whole account.
    prev = np.r_[0, dpd[:-1]]
    prev[first] = 0
    miss = paid == 0
    from_zero = miss & (prev == 0)
    assert ((dpd[from_zero] >= 2) & (dpd[from_zero] <= 29)).all()
    assert (dpd[miss & (prev > 0)] == prev[miss & (prev > 0)] + 30).all()
    cured = paid >= due - 1e-9
    assert (dpd[cured] == 0).all()
    held = (paid > 0) & (paid < due - 1e-9)
    assert (dpd[held] == prev[held]).all()
    pos_dpd = dpd > 0
    residue = pd.Series(dpd[pos_dpd] % 30).groupby(acc[pos_dpd]).nunique()
    assert (residue == 1).all()
    # Truth agrees with the panel for booked accounts.
    wd = truth.set_index("account_id")["would_default"]
    has_default = pd.Series(status == "defaulted").groupby(acc).any()
    assert (wd.loc[has_default.index] == has_default).all()
    booked_no_rows = accepted_ids[~accepted_ids.isin(rep["account_id"])]
    assert not wd.loc[booked_no_rows].any()


# ---------------------------------------------------------------------- schema


def test_schema_and_dtypes(book: LoanBook) -> None:
    apps, rep, truth = book.applications, book.repayments, book.truth
    assert list(apps.columns) == [
        "account_id",
        "application_date",
        *NUMERIC[:6],
        "home_ownership",
        "purpose",
        "channel",
        "region",
        "amount",
        "annual_rate",
        "term",
        "accepted",
    ]
    dtypes = apps.dtypes.astype(str).to_dict()
    assert dtypes["account_id"] == "int64"
    assert dtypes["application_date"] == "datetime64[ns]"
    for col in ["income", "employment_years", "existing_debt", "bureau_score"]:
        assert dtypes[col] == "float64"
    for col in ["age", "recent_enquiries", "term"]:
        assert dtypes[col] == "int64"
    assert dtypes["accepted"] == "bool"
    expected_categories = {
        "home_ownership": ["rent", "own", "mortgage", "other"],
        "purpose": [
            "car",
            "home_improvement",
            "debt_consolidation",
            "education",
            "business",
            "medical",
            "other",
        ],
        "channel": ["branch", "online", "broker"],
        "region": ["north", "south", "east", "west", "central", "capital"],
    }
    for col, cats in expected_categories.items():
        assert isinstance(apps[col].dtype, pd.CategoricalDtype)
        assert list(apps[col].cat.categories) == cats
        assert apps[col].notna().all()
    assert list(rep.columns) == REPAYMENT_COLUMNS
    assert rep["account_id"].dtype == np.int32
    assert str(rep["month"].dtype) == "datetime64[ns]"
    assert rep["days_past_due"].dtype == np.int16
    assert list(rep["status"].cat.categories) == STATUSES
    for col in ["amount_due", "amount_paid", "balance"]:
        assert rep[col].dtype == np.float64
    assert list(truth.columns) == ["account_id", "pd_12m", "would_default"]
    assert truth["would_default"].dtype == bool
    assert book.macro.index.equals(
        pd.date_range("2022-01-01", periods=24, freq="MS", name="month")
    )
    # Every status occurs in a book of this size, including the 1-29 bucket.
    assert set(rep["status"].unique()) == set(STATUSES)


def test_ranges_and_terms(book: LoanBook) -> None:
    apps = book.applications
    assert apps["account_id"].tolist() == list(range(1, 3001))
    assert apps["bureau_score"].dropna().between(300, 850).all()
    assert apps["age"].between(18, 85).all()
    assert set(apps["term"].unique()) <= {12, 24, 36, 48, 60}
    assert apps["annual_rate"].between(0.029, 0.36).all()
    assert (apps["amount"] > 0).all()
    assert (apps["existing_debt"] >= 0).all()
    assert (apps["recent_enquiries"] >= 0).all()
    assert book.truth["pd_12m"].between(0.0005, 0.6).all()
    # Vintages: applications spread over the whole window.
    assert apps["application_date"].nunique() == 24
    # Risk-based pricing: riskier applicants pay more.
    rho = apps["annual_rate"].corr(book.truth["pd_12m"], method="spearman")
    assert rho > 0.3


def test_missing_values_are_realistic(big_book: LoanBook) -> None:
    apps = big_book.applications
    rates = apps.isna().mean()
    assert 0.015 < rates["income"] < 0.05
    assert 0.03 < rates["bureau_score"] < 0.08
    assert 0.01 < rates["employment_years"] < 0.08
    no_missing = [c for c in apps.columns if c not in NUMERIC[:5]]
    assert rates[no_missing].eq(0).all()
    young = apps["age"] < 25
    missing = apps["bureau_score"].isna()
    assert missing[young].mean() > 2 * missing[~young].mean()


def test_acceptance_policy(big_book: LoanBook) -> None:
    apps, truth = big_book.applications, big_book.truth
    reject_rate = 1 - apps["accepted"].mean()
    assert 0.2 <= reject_rate <= 0.3
    accepted = apps["accepted"].to_numpy()
    assert truth["pd_12m"][~accepted].mean() > 2 * truth["pd_12m"][accepted].mean()
    # Rejected applicants are simulated too, and would default more often.
    wd = truth["would_default"].to_numpy()
    assert wd[~accepted].mean() > 2 * wd[accepted].mean()
    rejected_ids = apps.loc[~apps["accepted"], "account_id"]
    assert not big_book.repayments["account_id"].isin(rejected_ids).any()


def test_invariants_fixture(book: LoanBook, big_book: LoanBook) -> None:
    check_invariants(book)
    check_invariants(big_book)


@settings(max_examples=25)
@given(
    n_accounts=st.integers(1, 250),
    n_months=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
)
def test_invariants_property(n_accounts: int, n_months: int, seed: int) -> None:
    book = make_loan_book(n_accounts, n_months, start="2019-11", random_state=seed)
    assert len(book.applications) == n_accounts
    assert len(book.macro) == n_months
    assert book.window_start == pd.Timestamp("2019-11-01")
    check_invariants(book)


def test_paid_off_at_term() -> None:
    book = make_loan_book(n_accounts=2000, n_months=30, random_state=3)
    apps = book.applications.set_index("account_id")
    rep = book.repayments
    mob = _month_no(rep["month"]) - _month_no(
        apps.loc[rep["account_id"], "application_date"]
    )
    never_late = rep.groupby("account_id")["days_past_due"].max() == 0
    ids = never_late.index[never_late.to_numpy()]
    matured = apps["application_date"] <= book.window_end - pd.DateOffset(months=12)
    short = apps.loc[ids][(apps.loc[ids, "term"] == 12) & matured.loc[ids]].index
    rows = rep[rep["account_id"].isin(short)]
    sel = rep["account_id"].isin(short).to_numpy()
    last = rows.groupby("account_id").tail(1)
    last_mob = mob[sel][rows.index.isin(last.index)]
    assert len(last) > 20
    # A 12-month loan paid on time closes at month 12, or earlier by prepayment.
    assert (last["status"] == "closed").all()
    assert (last_mob <= 12).all()
    assert (last_mob == 12).sum() > len(last) / 2


def test_annuity_schedule_reference(book: LoanBook) -> None:
    """First rows match a hand-rolled amortisation schedule."""
    apps = book.applications.set_index("account_id")
    rep = book.repayments
    firsts = rep.groupby("account_id").head(6)
    clean = firsts.groupby("account_id")["days_past_due"].max() == 0
    full = firsts.groupby("account_id").size() == 6
    ids = clean.index[(clean & full).to_numpy()][:50]
    assert len(ids) == 50
    for acc in ids:
        p, r, t = apps.loc[acc, ["amount", "annual_rate", "term"]]
        i = r / 12
        payment = p * i / (1 - (1 + i) ** -t)
        balance = p
        rows = firsts[firsts["account_id"] == acc]
        for _, row in rows.iterrows():
            if row["status"] == "closed":  # prepaid: instalment + rest of principal
                after = balance * (1 + i) - payment
                assert row["amount_paid"] == pytest.approx(payment + after, abs=0.01)
                break
            balance = balance * (1 + i) - payment
            assert row["amount_due"] == pytest.approx(round(payment, 2), abs=1e-9)
            assert row["amount_paid"] == row["amount_due"]
            assert row["balance"] == pytest.approx(balance, abs=0.01)


# --------------------------------------------------------------- determinism


def test_deterministic_for_int_seed() -> None:
    a = make_loan_book(n_accounts=500, n_months=18, random_state=42)
    b = make_loan_book(n_accounts=500, n_months=18, random_state=42)
    pd.testing.assert_frame_equal(a.applications, b.applications)
    pd.testing.assert_frame_equal(a.repayments, b.repayments)
    pd.testing.assert_frame_equal(a.truth, b.truth)
    pd.testing.assert_series_equal(a.macro, b.macro)
    c = make_loan_book(n_accounts=500, n_months=18, random_state=43)
    assert not a.truth["pd_12m"].equals(c.truth["pd_12m"])


def test_generator_and_none_seeds() -> None:
    a = make_loan_book(300, 12, random_state=np.random.default_rng(5))
    b = make_loan_book(300, 12, random_state=np.random.default_rng(5))
    pd.testing.assert_frame_equal(a.repayments, b.repayments)
    pd.testing.assert_frame_equal(a.applications, b.applications)
    # numpy integer seeds behave as int seeds; the Generator is advanced.
    c = make_loan_book(300, 12, random_state=np.int64(5))
    pd.testing.assert_frame_equal(a.applications, c.applications)
    rng = np.random.default_rng(5)
    first = make_loan_book(300, 12, random_state=rng)
    second = make_loan_book(300, 12, random_state=rng)
    assert not first.truth["pd_12m"].equals(second.truth["pd_12m"])
    fresh = make_loan_book(300, 12, random_state=None)
    check_invariants(fresh)


def test_start_forms_are_equivalent() -> None:
    ref = make_loan_book(100, 6, start="2021-07", random_state=1)
    starts: list[pd.Period | dt.date] = [pd.Period("2021-07", freq="M")]
    starts.append(dt.date(2021, 7, 1))
    for start in starts:
        other = make_loan_book(100, 6, start=start, random_state=1)
        pd.testing.assert_frame_equal(ref.repayments, other.repayments)
        assert other.window_start == pd.Timestamp("2021-07-01")
        assert other.window_end == pd.Timestamp("2021-12-01")


def test_repr_is_short(book: LoanBook) -> None:
    text = repr(book)
    assert text.startswith("LoanBook(3000 applications, ")
    assert "2022-01 to 2023-12" in text


# --------------------------------------------------------------------- signal


def _realised(book: LoanBook, **kwargs: int) -> tuple[pd.Series, pd.Series]:
    y = book.default_flag(**kwargs).dropna().astype(int)
    pd_12m = book.truth.set_index("account_id").loc[y.index, "pd_12m"]
    return y, pd_12m


def test_truth_pd_has_signal(big_book: LoanBook) -> None:
    y, pd_12m = _realised(big_book)
    assert y.sum() > 100
    assert roc_auc_score(y, pd_12m) > 0.72


def test_application_model_finds_signal(big_book: LoanBook) -> None:
    y, _ = _realised(big_book)
    X = big_book.applications.set_index("account_id").loc[y.index, NUMERIC]
    X = X.fillna(X.median())
    X = (X - X.mean()) / X.std()
    half = len(X) // 2
    model = LogisticRegression(max_iter=1000).fit(X.iloc[:half], y.iloc[:half])
    auc = roc_auc_score(y.iloc[half:], model.predict_proba(X.iloc[half:])[:, 1])
    assert auc > 0.65


def test_pd_calibrated_under_neutral_macro(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the macro index at 0, P(default within 12 months) equals pd_12m."""
    monkeypatch.setattr(_loanbook, "_macro_index", lambda rng, n: np.zeros(n))
    book = make_loan_book(n_accounts=60_000, n_months=13, random_state=2)
    first_vintage = (book.applications["application_date"] == "2022-01-01").to_numpy()
    # Month-0 applicants have exactly 12 months on book in a 13-month window;
    # would_default covers accepted and rejected applicants alike.
    p = book.truth["pd_12m"].to_numpy()[first_vintage]
    d = book.truth["would_default"].to_numpy()[first_vintage]
    assert len(p) > 3000
    z = (d.sum() - p.sum()) / np.sqrt((p * (1 - p)).sum())
    assert abs(z) < 4
    # And by risk band (low / high half of pd_12m).
    high = p > np.median(p)
    for band in (high, ~high):
        zb = (d[band].sum() - p[band].sum()) / np.sqrt((p[band] * (1 - p[band])).sum())
        assert abs(zb) < 4


def test_calibration_chain_is_exact() -> None:
    """The calibrated first-miss rate reproduces the target PD over the clip range."""
    lpd = logit(np.array([0.0005, 0.003, 0.02, 0.05, 0.15, 0.35, 0.6]))
    x = _loanbook._calibrate_first_miss(lpd)
    np.testing.assert_allclose(
        _loanbook._default_within(lpd, x, 12), expit(lpd), rtol=1e-3
    )
    miss = expit(x)
    assert (np.diff(miss) > 0).all()  # riskier accounts miss more often


def test_macro_raises_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    results = {}
    for level in (-1.5, 1.5):
        monkeypatch.setattr(
            _loanbook,
            "_macro_index",
            lambda rng, n, v=level: rng.standard_normal(n) * 0.0 + v,
        )
        book = make_loan_book(n_accounts=20_000, n_months=24, random_state=4)
        results[level] = book.truth["would_default"].mean()
        pd.testing.assert_series_equal(
            book.truth["pd_12m"],
            make_loan_book(20_000, 24, random_state=4).truth["pd_12m"],
        )
    assert results[1.5] > 1.5 * results[-1.5]


def test_macro_index_is_standardised_ar1() -> None:
    macro = _loanbook._macro_index(np.random.default_rng(0), 20_000)
    assert abs(macro.mean()) < 0.1
    assert macro.std() == pytest.approx(1.0, abs=0.08)
    lag1 = np.corrcoef(macro[1:], macro[:-1])[0, 1]
    assert lag1 == pytest.approx(0.85, abs=0.03)


# ---------------------------------------------------------------- default_flag


def _flag_reference(book: LoanBook, horizon: int, bad_dpd: int) -> pd.Series:
    """default_flag computed row by row with pandas, independently."""
    apps = book.applications[book.applications["accepted"]].set_index("account_id")
    end = book.window_end
    out: dict[int, object] = {}
    for key, rows in book.repayments.groupby("account_id"):
        acc = int(str(key))
        start = pd.Timestamp(apps.at[acc, "application_date"])
        window = rows[rows["month"] <= start + pd.DateOffset(months=horizon)]
        bad = (window["days_past_due"] >= bad_dpd) | (window["status"] == "defaulted")
        if bad.any():
            out[acc] = 1
        elif (window["status"] == "closed").any() or start + pd.DateOffset(
            months=horizon
        ) <= end:
            out[acc] = 0
        else:
            out[acc] = pd.NA
    for acc in apps.index.difference(list(out)):
        start = pd.Timestamp(apps.at[acc, "application_date"])
        out[acc] = 0 if start + pd.DateOffset(months=horizon) <= end else pd.NA
    ref = pd.Series(out, dtype="Int8", name="bad").loc[apps.index]
    ref.index.name = "account_id"
    return ref


@pytest.mark.parametrize(("horizon", "bad_dpd"), [(12, 90), (6, 30), (24, 200)])
def test_default_flag_matches_reference(horizon: int, bad_dpd: int) -> None:
    book = make_loan_book(n_accounts=600, n_months=24, random_state=9)
    flag = book.default_flag(horizon=horizon, bad_dpd=bad_dpd)
    ref = _flag_reference(book, horizon, bad_dpd)
    pd.testing.assert_series_equal(flag, ref, check_index_type=False)
    assert flag.index.equals(
        pd.Index(book.applications.loc[book.applications["accepted"], "account_id"])
    )


def test_default_flag_censoring(book: LoanBook) -> None:
    flag = book.default_flag(horizon=12)
    assert str(flag.dtype) == "Int8"
    assert flag.name == "bad"
    assert flag.index.name == "account_id"
    apps = book.applications.set_index("account_id").loc[flag.index]
    complete = apps["application_date"] <= pd.Timestamp("2022-12-01")
    # Complete windows are never censored; recent vintages mostly are.
    assert flag[complete.to_numpy()].notna().all()
    late = flag[~complete.to_numpy()]
    assert late.isna().mean() > 0.8
    # A censored account is open and has not gone bad yet: never counted as good.
    rep = book.repayments.set_index("account_id")
    censored_ids = late.index[late.isna().to_numpy()]
    seen = rep.loc[rep.index.intersection(censored_ids)]
    assert (seen["days_past_due"] < 90).all()
    assert not seen["status"].isin(["closed", "defaulted"]).any()
    # Bad accounts are known bad even before their window completes.
    assert (late == 1).any()
    assert set(flag.dropna().unique()) <= {0, 1}


def test_default_flag_long_horizon_is_mostly_censored(book: LoanBook) -> None:
    flag = book.default_flag(horizon=48)
    known = flag.dropna()
    # Only bads and closed accounts are known when no window is complete.
    closed_ids = book.repayments.loc[
        book.repayments["status"] == "closed", "account_id"
    ]
    assert known[known == 0].index.isin(closed_ids).all()
    assert flag.isna().mean() > 0.7


def test_default_flag_stricter_definition_flags_fewer(book: LoanBook) -> None:
    y30 = book.default_flag(bad_dpd=30)
    y90 = book.default_flag(bad_dpd=90)
    only_default = book.default_flag(bad_dpd=151)
    both = y30.notna() & y90.notna()
    assert (y30[both] >= y90[both]).all()
    assert y30.sum() > y90.sum() >= only_default.sum() > 0


def test_default_flag_no_accepted_accounts() -> None:
    for seed in range(50):
        book = make_loan_book(n_accounts=1, n_months=3, random_state=seed)
        if not book.applications["accepted"].any():
            break
    else:  # pragma: no cover - a rejection is found within 50 seeds
        pytest.fail("no rejected single applicant found")
    flag = book.default_flag()
    assert flag.empty
    assert str(flag.dtype) == "Int8"


def test_repayments_merge_with_applications(book: LoanBook) -> None:
    merged = book.repayments.merge(book.applications, on="account_id", how="left")
    assert len(merged) == len(book.repayments)
    assert merged["accepted"].all()


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"n_accounts": 0}, r"'n_accounts' parameter of make_loan_book must be an "),
        ({"n_accounts": -5}, r"'n_accounts'.*>= 1.*Got -5"),
        ({"n_accounts": 10.0}, r"'n_accounts'.*integer.*Got 10\.0"),
        ({"n_accounts": True}, r"'n_accounts'.*Got True"),
        ({"n_accounts": "100"}, r"'n_accounts'.*Got '100'"),
        ({"n_accounts": 10**9}, r"'n_accounts'.*<= 100000000"),
        ({"n_months": 0}, r"'n_months' parameter of make_loan_book.*>= 1"),
        ({"n_months": 361}, r"'n_months'.*<= 360.*Got 361"),
        ({"n_months": 2.5}, r"'n_months'.*integer"),
        ({"start": "2022-13"}, r"'start' parameter.*'YYYY-MM'.*Got '2022-13'"),
        ({"start": "Jan 2022"}, r"'start'.*Got 'Jan 2022'"),
        ({"start": "2022-01-15"}, r"'start'.*Got '2022-01-15'"),
        ({"start": 202201}, r"'start'.*Got 202201"),
        ({"start": dt.date(2022, 1, 15)}, r"'start'.*1st of a month"),
        ({"start": pd.Timestamp("2022-01-01 12:00")}, r"'start'.*Got Timestamp"),
        ({"start": pd.Period("2022-01-03", freq="D")}, r"'start'.*Got Period"),
        ({"start": "1800-01"}, r"'start'.*between 1900-01 and 2200-12"),
        ({"random_state": -1}, r"'random_state'.*non-negative integer.*Got -1"),
        ({"random_state": 1.5}, r"'random_state'.*Got 1\.5"),
        ({"random_state": "seed"}, r"'random_state'.*Got 'seed'"),
        ({"random_state": True}, r"'random_state'.*Got True"),
        (
            {"random_state": np.random.RandomState(0)},
            r"'random_state'.*numpy\.random\.Generator",
        ),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"n_accounts": 10, "n_months": 3, **kwargs}
    with pytest.raises(InputError, match=match):
        make_loan_book(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"horizon": 0}, r"'horizon' parameter of LoanBook.default_flag .*>= 1"),
        ({"horizon": 6.0}, r"'horizon'.*integer.*Got 6\.0"),
        ({"bad_dpd": 0}, r"'bad_dpd' parameter of LoanBook.default_flag.*Got 0"),
        ({"bad_dpd": "90"}, r"'bad_dpd'.*Got '90'"),
    ],
)
def test_default_flag_bad_arguments(
    book: LoanBook, kwargs: dict[str, object], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        book.default_flag(**kwargs)  # type: ignore[arg-type]


def test_loanbook_is_frozen(book: LoanBook) -> None:
    with pytest.raises(AttributeError):
        book.truth = book.truth  # type: ignore[misc]
