"""Fit an application scorecard on the German credit data and use it.

Run: ``python examples/german_scorecard.py``. Writes nothing outside a temporary
folder. The notebook ``notebooks/german_credit.ipynb`` tells the same story at length.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sklearn.model_selection import train_test_split

import loanrisk
from loanrisk.metrics import gini, ks
from loanrisk.scorecard import ApplicationScorecard
from loanrisk.strategy import choose_cutoff


def main() -> None:
    X, y = loanrisk.datasets.load_german_credit(return_X_y=True)  # y: 1 = bad
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=42
    )

    card = ApplicationScorecard(pdo=20, base_score=600, base_odds=50).fit(
        X_train, y_train
    )
    print(f"{len(card.features_)} features selected of {card.n_features_in_}")

    scores = card.score(X_test)  # points, higher = safer
    print(f"holdout Gini {gini(y_test, scores, higher_is_riskier=False):.3f}")
    print(f"holdout KS   {ks(y_test, scores, higher_is_riskier=False).statistic:.3f}")

    choice = choose_cutoff(scores, y_test, target_bad_rate=0.15)
    print(
        f"cut-off {choice.cutoff:g}: approve {choice.approval_rate:.0%} with a bad "
        f"rate of {choice.bad_rate:.1%}"
    )

    declined = X_test[scores < choice.cutoff].head(3)
    print("\nreason codes of three declined applicants:")
    print(card.reasons(declined, n=2).to_string())

    with tempfile.TemporaryDirectory() as folder:
        path = loanrisk.save(card, Path(folder) / "model.json")
        reloaded = loanrisk.load(path)  # checks the embedded test vectors
        assert (reloaded.score(X_test) == scores).all()
        print(f"\nsaved and reloaded {path.name}: identical scores")

    sql = card.to_sql("applications", dialect="postgres")
    print(f"SQL export: {len(sql.splitlines())} lines, starting\n{sql[:200]}...")


if __name__ == "__main__":
    main()
