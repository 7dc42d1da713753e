"""From a repayment panel to a behavioural scorecard, with portfolio views.

Run: ``python examples/behavioural_scorecard.py``. Simulates a loan book, builds
point-in-time behavioural features at month 12 and the bad flag over months 13-24
(censoring flagged, accounts already in default excluded), fits a behavioural
scorecard, compares it with an application scorecard, and prints roll rates, the
transition matrix and vintage curves. Writes nothing outside a temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import loanrisk
from loanrisk.behaviour import (
    BehaviouralScorecard,
    behavioural_features,
    make_target,
    roll_rates,
    transition_matrix,
    vintage_curves,
)
from loanrisk.datasets import make_loan_book
from loanrisk.metrics import gini
from loanrisk.scorecard import ApplicationScorecard


def main() -> None:
    book = make_loan_book(n_accounts=20_000, n_months=24, random_state=1)
    panel = book.repayments
    print(book)

    X = behavioural_features(panel, as_of="2022-12", windows=(3, 6, 12))
    target = make_target(panel, as_of="2022-12", horizon=12, bad_dpd=90)
    print(f"{len(X)} accounts on book at 2022-12, {X.shape[1]} features")
    print("outcomes:", target["bad"].value_counts(dropna=False).to_dict())
    print("censored:", int(target["censored"].sum()))
    print("excluded:", target["exclusion"].value_counts().to_dict())

    y = target["bad"].dropna().astype(int)  # censored / excluded rows leave here
    X = X.loc[y.index]
    ids = y.index.get_level_values("account_id").to_numpy()
    train = ids % 2 == 0
    test = ~train

    card = BehaviouralScorecard().fit(X[train], y[train])
    print("features:", card.features_)
    apps = book.applications.set_index("account_id")
    A = apps.drop(columns=["application_date", "accepted"]).loc[ids]
    A.index = y.index
    app = ApplicationScorecard(wrong_sign="drop").fit(A[train], y[train])
    g_beh = gini(y[test], card.score(X[test]), higher_is_riskier=False)
    g_app = gini(y[test], app.score(A[test]), higher_is_riskier=False)
    print(
        f"Gini on defaults in months 13-24: behavioural {g_beh:.3f}, "
        f"application {g_app:.3f}"
    )
    print(card.reasons(X[test].head(3), n=2))

    with tempfile.TemporaryDirectory() as tmp:
        path = loanrisk.save(card, Path(tmp) / "behavioural.json")
        same = loanrisk.load(path).score(X.head(100)).equals(card.score(X.head(100)))
        print("reloaded model scores identically:", same)
    print(card.to_sql("features")[:200], "...")

    rr = roll_rates(panel, by_month=False)
    print(rr[["from_bucket", "accounts", "roll_rate", "balance_roll_rate"]])
    tm = transition_matrix(panel)
    print(tm.pivot(index="from_state", columns="to_state", values="rate").round(3))
    vc = vintage_curves(panel, book.applications)
    print(
        vc.pivot(index="vintage", columns="months_on_book", values="bad_rate")
        .iloc[:6, [5, 11, 17]]
        .round(4)
    )


if __name__ == "__main__":
    main()
