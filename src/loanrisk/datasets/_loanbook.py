"""A synthetic loan book: applications, a monthly repayment panel and the true risk.

The simulator draws applicants with correlated attributes, applies an acceptance
policy, prices and books the accepted loans, and runs every applicant (accepted or
not) through a monthly delinquency chain driven by a latent 12-month probability of
default and a shared macro-economic index. Only the accepted accounts appear in the
repayment panel; the outcome of every applicant is kept in ``LoanBook.truth`` so that
reject inference and calibration can be checked against the truth.

Everything is vectorised over accounts; the only Python loop runs over months.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import expit, logit

from loanrisk._checks import check_number
from loanrisk.errors import InputError

__all__ = ["LoanBook", "make_loan_book"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

HOME_OWNERSHIP = ("rent", "own", "mortgage", "other")
PURPOSES = (
    "car",
    "home_improvement",
    "debt_consolidation",
    "education",
    "business",
    "medical",
    "other",
)
CHANNELS = ("branch", "online", "broker")
REGIONS = ("north", "south", "east", "west", "central", "capital")
STATUSES = ("current", "1-29", "30-59", "60-89", "90+", "defaulted", "closed")
TERMS = (12, 24, 36, 48, 60)

_MAX_ACCOUNTS = 100_000_000
_MAX_MONTHS = 360
_DEFAULT_CYCLES = 5  # 5 unpaid cycles (120+ days past due) => defaulted

# Delinquency chain. logit-PD is centred at _L_REF; cycles c = 1..4 index the arrays.
_L_REF = float(logit(0.05))
_ROLL_A = np.asarray(logit([0.30, 0.50, 0.65, 0.75]), dtype=np.float64)
_ROLL_B = 0.25
_CURE_A = np.asarray(logit([0.55, 0.35, 0.25, 0.15]), dtype=np.float64)
_CURE_B = 0.15
_PREPAY_MAX = 0.025  # monthly prepayment probability tends to this for the best risks
# Sensitivity of the monthly probabilities to the macro index (1 s.d. of the index).
_MACRO_MISS = 0.35
_MACRO_ROLL = 0.25
_MACRO_CURE = 0.25
_MACRO_PHI = 0.85  # AR(1) coefficient of the monthly macro index (stationary s.d. 1)
_PD_MIN = 0.0005
_PD_MAX = 0.6
_HORIZON = 12  # months over which pd_12m is defined


@dataclass(frozen=True, eq=False, repr=False)
class LoanBook:
    """A synthetic loan book made by :func:`make_loan_book`.

    .. versionadded:: 0.1.0

    Parameters
    ----------
    applications : DataFrame
        One row per applicant (see :func:`make_loan_book` for the columns).
    repayments : DataFrame
        The monthly repayment panel of the accepted accounts, sorted by
        ``account_id`` then ``month``.
    truth : DataFrame
        Per applicant: ``account_id``, the latent ``pd_12m`` the account was simulated
        with and ``would_default`` (whether it defaults within the window).
    macro : Series
        The monthly macro-economic index (mean 0, standard deviation 1; higher means
        a worse economy), indexed by month. Its index defines the observation window.

    Attributes
    ----------
    window_start, window_end : Timestamp
        The first and last month of the observation window.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> book = make_loan_book(n_accounts=200, n_months=12, random_state=1)
    >>> book.window_start, book.window_end
    (Timestamp('2022-01-01 00:00:00'), Timestamp('2022-12-01 00:00:00'))
    """

    applications: pd.DataFrame
    repayments: pd.DataFrame
    truth: pd.DataFrame
    macro: pd.Series

    @property
    def window_start(self) -> pd.Timestamp:
        """The first month of the observation window."""
        return pd.Timestamp(self.macro.index[0])

    @property
    def window_end(self) -> pd.Timestamp:
        """The last month of the observation window."""
        return pd.Timestamp(self.macro.index[-1])

    def __repr__(self) -> str:
        n_acc = int(self.applications["accepted"].sum())
        return (
            f"LoanBook({len(self.applications)} applications, {n_acc} accepted, "
            f"{len(self.repayments)} repayment rows, "
            f"{self.window_start:%Y-%m} to {self.window_end:%Y-%m})"
        )

    def default_flag(self, horizon: int = 12, bad_dpd: int = 90) -> pd.Series:
        """Bad flag of each accepted account over its first `horizon` months on book.

        Parameters
        ----------
        horizon : int, default 12
            Length of the performance window in months on book: the rows from the
            first due month (application month + 1) to application month +
            `horizon`.
        bad_dpd : int, default 90
            An account is bad once ``days_past_due >= bad_dpd`` or its status is
            ``"defaulted"`` within the performance window. A value above 150 counts
            only the ``"defaulted"`` status.

        Returns
        -------
        Series of dtype ``Int8``
            Indexed by ``account_id`` (accepted accounts, in application order) and
            named ``"bad"``: 1 = bad within the window; 0 = good over the complete
            window, or closed (paid off or prepaid) within it before going bad;
            ``<NA>`` = censored: not bad so far, still open, and the window runs past
            the end of the observation window. Censored accounts are never counted as
            good; drop them with ``dropna()``.

        Raises
        ------
        InputError
            If `horizon` or `bad_dpd` is not a positive integer.

        Examples
        --------
        >>> from loanrisk.datasets import make_loan_book
        >>> book = make_loan_book(n_accounts=200, n_months=18, random_state=0)
        >>> y = book.default_flag(horizon=6)
        >>> str(y.dtype), y.name, y.index.name
        ('Int8', 'bad', 'account_id')
        >>> bool(y.isna().any())  # the latest vintages are censored
        True
        """
        owner = "LoanBook.default_flag"
        check_number(horizon, "horizon", owner, low=1, integer=True)
        check_number(bad_dpd, "bad_dpd", owner, low=1, integer=True)
        apps = self.applications
        accepted = apps["accepted"].to_numpy(dtype=bool)
        ids = pd.Index(apps["account_id"].to_numpy()[accepted], name="account_id")
        app_month = _month_number(apps["application_date"])[accepted]
        end_month = _month_number(pd.Series([self.window_end]))[0]

        n = len(ids)
        if n == 0:
            return pd.Series(pd.array([], dtype="Int8"), index=ids, name="bad")
        rep = self.repayments
        pos = ids.get_indexer(rep["account_id"].to_numpy())
        mob = _month_number(rep["month"]) - app_month[np.maximum(pos, 0)]
        within = (pos >= 0) & (mob >= 1) & (mob <= horizon)
        is_default = (rep["status"] == "defaulted").to_numpy(dtype=bool)
        is_closed = (rep["status"] == "closed").to_numpy(dtype=bool)
        dpd = rep["days_past_due"].to_numpy(dtype=np.int64)
        bad_row = within & ((dpd >= bad_dpd) | is_default)
        closed_row = within & is_closed
        bad = np.bincount(pos[bad_row], minlength=n) > 0
        closed = np.bincount(pos[closed_row], minlength=n) > 0
        complete = app_month + horizon <= end_month
        flag = pd.array(np.where(bad, 1, 0), dtype="Int8")
        flag[~bad & ~(complete | closed)] = pd.NA
        return pd.Series(flag, index=ids, name="bad")


def make_loan_book(
    n_accounts: int = 10_000,
    n_months: int = 24,
    start: str | pd.Period | _dt.date = "2022-01",
    random_state: int | np.integer[Any] | np.random.Generator | None = None,
) -> LoanBook:
    """Simulate a realistic synthetic loan book.

    .. versionadded:: 0.1.0

    Applicants arrive over `n_months` months (so there are monthly origination
    vintages), an acceptance policy rejects about a quarter of them, and the accepted
    accounts are followed month by month to the end of the window.

    Parameters
    ----------
    n_accounts : int, default 10_000
        Number of applicants (accepted and rejected), 1 to 100,000,000.
    n_months : int, default 24
        Length of the observation window in months, 1 to 360.
    start : str, Period or date, default "2022-01"
        First month of the window: a ``"YYYY-MM"`` string, a monthly
        :class:`pandas.Period`, or a date on the first of a month (year 1900-2200).
    random_state : int, numpy Generator or None, default None
        Seed (a non-negative integer) or generator for
        :func:`numpy.random.default_rng`. The same integer gives exactly the same book;
        a Generator is advanced.

    Returns
    -------
    LoanBook
        With three frames:

        ``applications`` -- one row per applicant: ``account_id`` (int64, 1 to
        `n_accounts` in application order), ``application_date`` (datetime64, month
        start), ``income`` (monthly, float, about 3% missing), ``age`` (int),
        ``employment_years`` (float, about 4% missing), ``existing_debt`` (monthly
        obligations, float), ``bureau_score`` (300-850, float, missing for about 5% of
        applicants -- no bureau file -- and more often for the under-25s),
        ``recent_enquiries`` (int), ``home_ownership``, ``purpose``, ``channel``,
        ``region`` (category), ``amount``, ``annual_rate`` (fraction, risk-priced),
        ``term`` (months: 12, 24, 36, 48 or 60) and ``accepted`` (bool). For rejected
        applicants ``amount``, ``annual_rate`` and ``term`` are the requested amount
        and the quoted terms.

        ``repayments`` -- the monthly panel of the accepted accounts, sorted by
        ``account_id`` then ``month``: ``account_id`` (int32), ``month`` (datetime64,
        month start), ``amount_due``, ``amount_paid``, ``balance`` (float64),
        ``days_past_due`` (int16) and ``status`` (category: ``current``, ``1-29``,
        ``30-59``, ``60-89``, ``90+``, ``defaulted``, ``closed``).

        ``truth`` -- one row per applicant: ``account_id``, ``pd_12m`` (float64) and
        ``would_default`` (bool).

        and ``macro``, the monthly macro index (see :class:`LoanBook`).

    Raises
    ------
    InputError
        If an argument is out of range or of the wrong type; the message names it.

    See Also
    --------
    LoanBook.default_flag : a 0/1 target with censoring for application scorecards.

    Notes
    -----
    **Applicants.** A latent creditworthiness :math:`z \\sim N(0, 1)` drives the
    bureau score (a noisy proxy of :math:`z`), income, enquiries and the latent
    probability of default

    .. math::

        \\operatorname{logit} PD_{12} = \\beta_0 - 0.9 z + 2.2 (DTI - 0.35)
        + 0.12\\,\\text{enquiries} - 0.015 (\\text{age} - 38) + \\dots + u,

    with effects of employment, home ownership, purpose, channel, region, loan size
    and a thin bureau file, and an unobserved :math:`u \\sim N(0, 0.5^2)`, so that a
    model of the application attributes finds real, but not all, of the signal.
    :math:`DTI` is (existing debt + instalment) / income. ``pd_12m`` is clipped to
    [0.0005, 0.6]. Missing values are masked after the true values drive the risk.

    **Policy.** An applicant is rejected when the bureau score (600 if missing) plus
    noise is below 565, the observed DTI plus noise is above 0.5, or, with
    probability 0.6, when the income is not declared; 1% of decisions are
    overridden at random. The annual rate is priced from the bureau score, DTI and
    term.

    **Repayments.** The instalment is the annuity
    :math:`A = P i / (1 - (1 + i)^{-T})` with :math:`i` = annual rate / 12, rounded
    to cents; the first instalment is due in the month after the application. Each
    month an account with no arrears prepays (closes), misses its instalment, or
    pays it; an account with :math:`c` unpaid cycles cures (pays all arrears), rolls
    to :math:`c + 1` (pays nothing) or holds (pays one instalment). The miss, roll
    and cure probabilities depend on ``pd_12m`` and, through a logistic shift, on the
    macro index :math:`M_t = 0.85 M_{t-1} + \\sqrt{1 - 0.85^2}\\,\\varepsilon_t`
    (higher :math:`M_t`: more misses and rolls, fewer cures). The first-miss
    probability of each account is calibrated so that, with :math:`M_t = 0`, the
    probability of default within 12 months on book equals ``pd_12m`` exactly;
    realised defaults also follow the macro path.

    ``balance`` is the outstanding principal of the contractual schedule after the
    instalments paid so far: :math:`B_n = P ((1+i)^T - (1+i)^n) / ((1+i)^T - 1)`, so
    it amortises when instalments are paid and stays put when they are missed (no
    penalty interest). ``amount_due`` is the current instalment plus the arrears;
    ``amount_paid`` is what was paid that month (a prepayment pays the instalment
    plus the remaining balance).

    ``days_past_due`` is measured at month end (30-day months) from the due day of
    the oldest unpaid instalment: each account has a due day :math:`d` between 1 and
    28, so a first missed instalment shows :math:`30 - d` days (the ``1-29``
    bucket), and every further unpaid month adds 30. Paying all arrears resets it to
    0. At 5 unpaid cycles (120+ days past due, i.e. 90+ for a second month) the
    account is ``defaulted``.

    A ``closed`` (paid off or prepaid) or ``defaulted`` account gets a final row with
    that status and no rows afterwards; accounts booked in the last month of the
    window have no rows yet. Rejected applicants have no rows, but are simulated
    all the same: ``truth.would_default`` says whether they would have defaulted
    within the window had they been booked.

    Examples
    --------
    >>> from loanrisk.datasets import make_loan_book
    >>> book = make_loan_book(n_accounts=200, n_months=12, random_state=0)
    >>> book.applications.shape
    (200, 16)
    >>> list(book.repayments.columns)
    ['account_id', 'month', 'amount_due', 'amount_paid', 'balance', 'days_past_due', 'status']
    >>> booked = book.applications.loc[book.applications["accepted"], "account_id"]
    >>> bool(book.repayments["account_id"].isin(booked).all())
    True
    >>> bool((book.repayments["balance"] >= 0).all())
    True
    >>> list(book.truth.columns)
    ['account_id', 'pd_12m', 'would_default']
    """  # noqa: E501
    who = "make_loan_book"
    check_number(n_accounts, "n_accounts", who, low=1, high=_MAX_ACCOUNTS, integer=True)
    check_number(n_months, "n_months", who, low=1, high=_MAX_MONTHS, integer=True)
    first = _parse_start(start)
    rng = _resolve_rng(random_state)
    n = int(n_accounts)
    n_months = int(n_months)

    macro = _macro_index(rng, n_months)
    apps, pd_12m = _applicants(rng, n, n_months)
    x_miss = _calibrate_first_miss(logit(pd_12m))
    perf = _simulate(rng, apps, pd_12m, x_miss, macro)

    months = first + np.arange(n_months)  # datetime64[M]
    month_stamps = pd.DatetimeIndex(months.astype("datetime64[ns]"), name="month")
    applications = _applications_frame(apps, month_stamps)
    repayments = _repayments_frame(perf, month_stamps)
    truth = pd.DataFrame(
        {
            "account_id": applications["account_id"].to_numpy(),
            "pd_12m": pd_12m,
            "would_default": perf["would_default"],
        }
    )
    macro_series = pd.Series(macro, index=month_stamps, name="macro_index")
    return LoanBook(
        applications=applications,
        repayments=repayments,
        truth=truth,
        macro=macro_series,
    )


# --------------------------------------------------------------------------- inputs


_START_RE = re.compile(r"(\d{4})-(\d{2})")


def _parse_start(start: Any) -> np.datetime64:
    """Return the first month of the window as a ``datetime64[M]``."""
    message = (
        "The 'start' parameter of make_loan_book must be a month such as '2022-01' "
        "(a 'YYYY-MM' string, a monthly pandas Period, or a date on the 1st of a "
        f"month) between 1900-01 and 2200-12. Got {start!r}."
    )
    year: int
    month: int
    if isinstance(start, str):
        match = _START_RE.fullmatch(start.strip())
        if match is None:
            raise InputError(message)
        year, month = int(match.group(1)), int(match.group(2))
    elif isinstance(start, pd.Period):
        if start.freqstr not in ("M", "ME"):
            raise InputError(message)
        year, month = int(start.year), int(start.month)
    elif isinstance(start, _dt.date):
        if start.day != 1 or (
            isinstance(start, _dt.datetime) and start.time() != _dt.time()
        ):
            raise InputError(message)
        year, month = start.year, start.month
    else:
        raise InputError(message)
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise InputError(message)
    return np.datetime64(f"{year:04d}-{month:02d}", "M")


def _resolve_rng(random_state: Any) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        return np.random.default_rng()
    if (
        isinstance(random_state, numbers.Integral)
        and not isinstance(random_state, bool)
        and int(random_state) >= 0
    ):
        return np.random.default_rng(int(random_state))
    raise InputError(
        "The 'random_state' parameter of make_loan_book must be a non-negative "
        "integer seed, a numpy.random.Generator (np.random.default_rng(seed)) or "
        f"None. Got {random_state!r}."
    )


# ----------------------------------------------------------------------- applicants


def _categorical(rng: np.random.Generator, logits: FloatArray) -> IntArray:
    """Sample one category per row from row-wise logits (Gumbel-max trick)."""
    gumbel = rng.gumbel(size=logits.shape)
    return np.asarray(np.argmax(logits + gumbel, axis=1), dtype=np.int64)


def _macro_index(rng: np.random.Generator, n_months: int) -> FloatArray:
    shocks = rng.standard_normal(n_months)
    macro = np.empty(n_months, dtype=np.float64)
    macro[0] = shocks[0]
    scale = np.sqrt(1.0 - _MACRO_PHI**2)
    for t in range(1, n_months):
        macro[t] = _MACRO_PHI * macro[t - 1] + scale * shocks[t]
    return macro


def _applicants(
    rng: np.random.Generator, n: int, n_months: int
) -> tuple[dict[str, npt.NDArray[Any]], FloatArray]:
    """Draw applicants, their decision and terms; return them and the latent PD."""
    # Application month: a slowly growing book, ids in application order.
    weights = 1.0 + 0.02 * np.arange(n_months)
    app_month = np.sort(rng.choice(n_months, size=n, p=weights / weights.sum()))

    z = rng.standard_normal(n)  # latent creditworthiness
    age = np.clip(np.round(18 + rng.gamma(2.2, 9.0, n)), 18, 85).astype(np.int64)
    young = age < 25
    region = _categorical(
        rng, np.broadcast_to(np.log([0.16, 0.17, 0.15, 0.14, 0.18, 0.20]), (n, 6))
    )
    region_income = np.array([-0.05, -0.10, 0.0, -0.02, 0.03, 0.15])[region]
    channel = _categorical(rng, np.broadcast_to(np.log([0.35, 0.45, 0.20]), (n, 3)))

    emp_true = np.round((age - 17) * rng.beta(1.6, 2.2, n), 1)
    log_income = (
        np.log(2600.0)
        + 0.12 * z
        + 0.012 * (np.minimum(age, 55) - 35)
        + 0.01 * np.minimum(emp_true, 20)
        + region_income
        + rng.normal(0.0, 0.45, n)
    )
    income_true = np.round(np.exp(log_income), -1)
    has_debt = rng.random(n) > 0.3
    existing_debt = np.round(
        has_debt * income_true * rng.beta(2.0, 9.0, n) * np.exp(-0.15 * z), 2
    )
    score_true = np.clip(
        np.round(
            650 + 70 * (0.8 * z + 0.6 * rng.standard_normal(n)) + 1.2 * (age - 38)
        ),
        300,
        850,
    )
    enquiries = rng.poisson(np.exp(0.1 - 0.45 * z + 0.3 * young)).astype(np.int64)

    home_logits = np.column_stack(
        [
            np.log(0.40) - 0.04 * (age - 35),
            np.log(0.15) + 0.05 * (age - 35) + 0.2 * z,
            np.log(0.35) + 0.02 * (age - 35) + 0.2 * z - 2.0 * young,
            np.full(n, np.log(0.10)) + 0.8 * young,
        ]
    )
    home = _categorical(rng, home_logits)
    purpose_logits = np.column_stack(
        [
            np.full(n, np.log(0.22)),
            np.log(0.15) + 0.8 * (home >= 1) * (home <= 2),
            np.full(n, np.log(0.25)) - 0.2 * z,
            np.log(0.06) + 1.5 * young,
            np.full(n, np.log(0.08)),
            np.full(n, np.log(0.06)),
            np.full(n, np.log(0.18)),
        ]
    )
    purpose = _categorical(rng, purpose_logits)
    base_amount = np.array([12000, 15000, 10000, 8000, 20000, 5000, 4000.0])[purpose]
    amount = np.clip(
        np.round(
            base_amount * np.sqrt(income_true / 2600.0) * rng.lognormal(0, 0.5, n), -2
        ),
        1000,
        50000,
    )
    term_logits = np.column_stack(
        [
            np.log(w) + b * np.log(amount / 10000.0)
            for w, b in zip(
                [0.15, 0.25, 0.30, 0.15, 0.15], [-1.2, -0.5, 0.0, 0.5, 1.0], strict=True
            )
        ]
    )
    term = np.asarray(TERMS, dtype=np.int64)[_categorical(rng, term_logits)]

    # Missingness (after the true values are drawn; missing not at random).
    bureau_missing = rng.random(n) < np.where(young, 0.15, 0.03)
    income_missing = rng.random(n) < np.array([0.015, 0.04, 0.03])[channel]
    emp_missing = rng.random(n) < np.where(young, 0.07, 0.035)

    # Pricing from the observed file (the lender's view, not the truth).
    score_obs = np.where(bureau_missing, 600.0, score_true)
    income_obs = np.where(income_missing, np.nan, income_true)
    dti_pre = existing_debt / income_true
    annual_rate = np.clip(
        0.045
        + 0.00035 * np.clip(760 - score_obs, 0, None)
        + 0.05 * dti_pre
        + 0.004 * (term - 12) / 12
        + rng.normal(0.0, 0.006, n),
        0.029,
        0.36,
    )
    annual_rate = np.round(annual_rate, 4)
    instalment = _instalment(amount, annual_rate, term)
    dti_true = (existing_debt + instalment) / income_true

    # Latent 12-month PD from the true attributes.
    eta = (
        -3.35
        - 0.9 * z
        + 2.2 * (dti_true - 0.35)
        + 0.12 * enquiries
        - 0.015 * (age - 38)
        - 0.03 * np.minimum(emp_true, 20)
        + np.array([0.35, -0.15, -0.2, 0.3])[home]
        + np.array([-0.2, -0.15, 0.25, 0.1, 0.45, 0.15, 0.1])[purpose]
        + np.array([-0.1, 0.05, 0.3])[channel]
        + np.array([0.1, 0.2, -0.05, 0.0, -0.1, -0.15])[region]
        + 0.15 * np.log(amount / 10000.0)
        + 0.4 * bureau_missing
        + rng.normal(0.0, 0.5, n)
    )
    pd_12m = np.clip(expit(eta), _PD_MIN, _PD_MAX)

    # Acceptance policy on the observed file.
    dti_obs = (existing_debt + instalment) / np.where(income_missing, 1.0, income_true)
    reject = (
        (score_obs + rng.normal(0.0, 20.0, n) < 565)
        | (~income_missing & (dti_obs + rng.normal(0.0, 0.04, n) > 0.5))
        | (income_missing & (rng.random(n) < 0.6))
    )
    override = rng.random(n) < 0.01
    accepted = reject == override

    apps: dict[str, npt.NDArray[Any]] = {
        "app_month": app_month,
        "income": income_obs,
        "age": age,
        "employment_years": np.where(emp_missing, np.nan, emp_true),
        "existing_debt": existing_debt,
        "bureau_score": np.where(bureau_missing, np.nan, score_true),
        "recent_enquiries": enquiries,
        "home_ownership": home,
        "purpose": purpose,
        "channel": channel,
        "region": region,
        "amount": amount,
        "annual_rate": annual_rate,
        "term": term,
        "accepted": accepted,
        "instalment": instalment,
        "due_day": rng.integers(1, 29, n),
    }
    return apps, pd_12m


def _instalment(
    amount: FloatArray, annual_rate: FloatArray, term: IntArray
) -> FloatArray:
    """Annuity instalment, rounded to cents."""
    i = annual_rate / 12.0
    return np.asarray(np.round(amount * i / (1.0 - (1.0 + i) ** (-term)), 2))


# ------------------------------------------------------------------- delinquency


def _chain(
    lpd: FloatArray, macro: float = 0.0
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Prepayment, roll and cure probabilities for logit-PD `lpd` (cycles 1..4).

    Returns ``prepay`` with the shape of `lpd`, and ``roll``, ``cure`` with a trailing
    axis of length 4 (cycle 1 to 4).
    """
    d = (lpd - _L_REF)[..., None]
    roll = expit(_ROLL_A + _ROLL_B * d + _MACRO_ROLL * macro)
    cure = (1.0 - roll) * expit(_CURE_A - _CURE_B * d - _MACRO_CURE * macro)
    prepay = _PREPAY_MAX * expit(-0.5 * (lpd - _L_REF) + 1.0)
    return prepay, roll, cure


def _default_within(lpd: FloatArray, x_miss: FloatArray, months: int) -> FloatArray:
    """Probability of default within `months` months on book (macro index 0)."""
    prepay, roll, cure = _chain(lpd)
    miss = (1.0 - prepay) * expit(x_miss)
    hold = 1.0 - roll - cure
    p = np.zeros((*lpd.shape, _DEFAULT_CYCLES), dtype=np.float64)
    p[..., 0] = 1.0
    dead = np.zeros(lpd.shape, dtype=np.float64)
    for _ in range(months):
        new = np.empty_like(p)
        new[..., 0] = p[..., 0] * (1.0 - prepay - miss) + (p[..., 1:] * cure).sum(-1)
        new[..., 1] = p[..., 0] * miss + p[..., 1] * hold[..., 0]
        for c in range(2, _DEFAULT_CYCLES):
            new[..., c] = (
                p[..., c - 1] * roll[..., c - 2] + p[..., c] * hold[..., c - 1]
            )
        dead = dead + p[..., _DEFAULT_CYCLES - 1] * roll[..., -1]
        p = new
    return dead


def _calibrate_first_miss(lpd: FloatArray) -> FloatArray:
    """Logit of the first-miss probability so that P(default in 12 months) = PD.

    Solved by bisection on a grid of logit-PD values, then interpolated.
    """
    grid = np.linspace(logit(_PD_MIN) - 0.01, logit(_PD_MAX) + 0.01, 241)
    target = expit(grid)
    lo = np.full_like(grid, -25.0)
    hi = np.full_like(grid, 12.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        too_high = _default_within(grid, mid, _HORIZON) > target
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
    return np.asarray(np.interp(lpd, grid, 0.5 * (lo + hi)), dtype=np.float64)


def _simulate(
    rng: np.random.Generator,
    apps: dict[str, npt.NDArray[Any]],
    pd_12m: FloatArray,
    x_miss: FloatArray,
    macro: FloatArray,
) -> dict[str, npt.NDArray[Any]]:
    """Run every applicant through the monthly chain; keep rows of accepted ones."""
    n = len(pd_12m)
    lpd = logit(pd_12m)
    prepay_all = _chain(lpd)[0]
    orig = apps["app_month"]
    term = apps["term"].astype(np.int64)
    amount = apps["amount"]
    inst = apps["instalment"]
    accepted = apps["accepted"]
    due_day = apps["due_day"].astype(np.int64)
    log_g = np.log1p(apps["annual_rate"] / 12.0)
    g_term = np.exp(term * log_g)

    n_paid = np.zeros(n, dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    cycles = np.zeros(n, dtype=np.int64)
    defaulted = np.zeros(n, dtype=bool)
    out: dict[str, list[npt.NDArray[Any]]] = {
        k: [] for k in ("pos", "month", "due", "paid", "balance", "dpd", "status")
    }
    # ``orig`` is sorted, so the accounts on book at month t are a prefix.
    for t in range(len(macro)):
        n_on_book = int(np.searchsorted(orig, t, side="left"))
        idx = np.flatnonzero(~done[:n_on_book])
        if idx.size == 0:
            continue
        mt = float(macro[t])
        mob = t - orig[idx]
        c_prev = cycles[idx]
        paid_prev = n_paid[idx]
        term_i = term[idx]
        a = inst[idx]
        u = rng.random(idx.size)

        current = c_prev == 0
        prepay = prepay_all[idx]
        miss_p = (1.0 - prepay) * expit(x_miss[idx] + _MACRO_MISS * mt)
        d = lpd[idx] - _L_REF
        k = np.clip(c_prev, 1, 4) - 1
        roll_p = expit(_ROLL_A[k] + _ROLL_B * d + _MACRO_ROLL * mt)
        cure_p = (1.0 - roll_p) * expit(_CURE_A[k] - _CURE_B * d - _MACRO_CURE * mt)

        do_prepay = current & (u < prepay)
        do_miss = current & (u >= prepay) & (u < prepay + miss_p)
        do_cure = ~current & (u < cure_p)
        do_roll = ~current & (u >= cure_p) & (u < cure_p + roll_p)

        n_due = np.minimum(mob, term_i)
        owed = n_due - paid_prev  # instalments due and unpaid, incl. this month's
        paid_new = paid_prev + 1
        paid_new = np.where(do_miss | do_roll, paid_prev, paid_new)
        paid_new = np.where(do_cure, n_due, paid_new)
        paid_new = np.where(do_prepay, term_i, paid_new)
        closed = paid_new >= term_i
        arrears = n_due - paid_new
        c_new = np.where(arrears > 0, mob - paid_new, 0)
        dflt = c_new >= _DEFAULT_CYCLES

        remaining = _balance(amount[idx], log_g[idx], g_term[idx], paid_new)
        n_instalments_paid = paid_new - paid_prev
        amount_paid = np.where(
            do_prepay,
            a + _balance(amount[idx], log_g[idx], g_term[idx], paid_prev + 1),
            n_instalments_paid * a,
        )
        balance = np.where(closed, 0.0, remaining)
        dpd = np.where(c_new > 0, 30 * c_new - due_day[idx], 0)
        status = np.where(closed, 6, np.where(dflt, 5, np.minimum(c_new, 4)))

        n_paid[idx] = paid_new
        cycles[idx] = c_new
        done[idx] = closed | dflt
        defaulted[idx] = dflt

        keep = accepted[idx]
        out["pos"].append(idx[keep].astype(np.int32))
        out["month"].append(np.full(int(keep.sum()), t, dtype=np.int16))
        out["due"].append(np.round(owed[keep] * a[keep], 2))
        out["paid"].append(np.round(amount_paid[keep], 2))
        out["balance"].append(np.round(balance[keep], 2))
        out["dpd"].append(dpd[keep].astype(np.int16))
        out["status"].append(status[keep].astype(np.int8))

    result: dict[str, npt.NDArray[Any]] = {}
    empty = {
        "pos": np.int32,
        "month": np.int16,
        "due": np.float64,
        "paid": np.float64,
        "balance": np.float64,
        "dpd": np.int16,
        "status": np.int8,
    }
    for key, parts in out.items():
        result[key] = np.concatenate(parts) if parts else np.empty(0, dtype=empty[key])
        out[key] = []  # free the parts as we go
    order = np.argsort(result["pos"], kind="stable")  # month order kept within id
    for key in empty:
        result[key] = result[key][order]
    result["would_default"] = defaulted
    return result


def _balance(
    amount: FloatArray, log_g: FloatArray, g_term: FloatArray, n: IntArray
) -> FloatArray:
    """Outstanding principal after `n` instalments of the annuity schedule."""
    return np.asarray(amount * (g_term - np.exp(n * log_g)) / (g_term - 1.0))


# ---------------------------------------------------------------------- frames


def _applications_frame(
    apps: dict[str, npt.NDArray[Any]], months: pd.DatetimeIndex
) -> pd.DataFrame:
    n = len(apps["age"])

    def cat(key: str, labels: tuple[str, ...]) -> pd.Categorical[str]:
        return _from_codes(apps[key], labels)

    return pd.DataFrame(
        {
            "account_id": np.arange(1, n + 1, dtype=np.int64),
            "application_date": months.values[apps["app_month"]],
            "income": apps["income"].astype(np.float64),
            "age": apps["age"].astype(np.int64),
            "employment_years": apps["employment_years"].astype(np.float64),
            "existing_debt": apps["existing_debt"].astype(np.float64),
            "bureau_score": apps["bureau_score"].astype(np.float64),
            "recent_enquiries": apps["recent_enquiries"].astype(np.int64),
            "home_ownership": cat("home_ownership", HOME_OWNERSHIP),
            "purpose": cat("purpose", PURPOSES),
            "channel": cat("channel", CHANNELS),
            "region": cat("region", REGIONS),
            "amount": apps["amount"].astype(np.float64),
            "annual_rate": apps["annual_rate"].astype(np.float64),
            "term": apps["term"].astype(np.int64),
            "accepted": apps["accepted"].astype(bool),
        }
    )


def _repayments_frame(
    perf: dict[str, npt.NDArray[Any]], months: pd.DatetimeIndex
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "account_id": (perf["pos"] + 1).astype(np.int32),
            "month": months.values[perf["month"]],
            "amount_due": perf["due"],
            "amount_paid": perf["paid"],
            "balance": perf["balance"],
            "days_past_due": perf["dpd"],
            "status": _from_codes(perf["status"], STATUSES),
        }
    )


def _from_codes(
    codes: npt.NDArray[Any], labels: tuple[str, ...]
) -> pd.Categorical[str]:
    """A categorical with the fixed categories `labels` from integer codes."""
    int_codes = np.asarray(codes, dtype=np.int8)
    return pd.Categorical.from_codes(int_codes, categories=pd.Index(list(labels)))


def _month_number(dates: pd.Series) -> IntArray:
    """Months since 1970-01 of a datetime Series (any resolution)."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    return np.asarray(values.astype("datetime64[M]").astype(np.int64))
