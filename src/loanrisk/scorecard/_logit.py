"""Logistic regression on WoE features: fit and inference."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__: list[str] = []


@dataclass
class LogitFit:
    """Coefficients (intercept first) and their inference."""

    params: np.ndarray
    bse: np.ndarray
    pvalues: np.ndarray
    llf: float
    aic: float
    converged: bool


def newton_logit(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    *,
    l2: float = 0.0,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> LogitFit:
    """Weighted logistic regression by Newton-Raphson (intercept column added).

    Minimises ``-loglik + l2 / 2 * ||beta||^2`` (the intercept is not penalised).
    Deterministic: no randomness, fixed iteration order.
    """
    from scipy import stats
    from scipy.special import expit

    n, k = X.shape
    A = np.column_stack([np.ones(n), X])
    beta = np.zeros(k + 1)
    pen = np.full(k + 1, l2)
    pen[0] = 0.0
    converged = False
    for _ in range(max_iter):
        eta = A @ beta
        p = expit(eta)
        grad = A.T @ (w * (y - p)) - pen * beta
        W = w * p * (1.0 - p)
        H = (A * W[:, None]).T @ A + np.diag(pen)
        try:
            step = np.linalg.solve(H, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, grad, rcond=None)[0]
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            converged = True
            break
    eta = A @ beta
    llf = float(np.sum(w * (y * eta - np.logaddexp(0.0, eta))))
    p = expit(eta)
    H = (A * (w * p * (1.0 - p))[:, None]).T @ A + np.diag(pen)
    try:
        cov = np.linalg.inv(H)
        bse = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    except np.linalg.LinAlgError:
        bse = np.full(k + 1, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = beta / bse
    pvalues = 2.0 * stats.norm.sf(np.abs(z))
    return LogitFit(
        params=beta,
        bse=bse,
        pvalues=np.asarray(pvalues, dtype=float),
        llf=llf,
        aic=2.0 * (k + 1) - 2.0 * llf,
        converged=converged,
    )


def vif(X: np.ndarray) -> np.ndarray:
    """Variance inflation factor of each column: 1 / (1 - R^2 on the others).

    Computed in one pass as the diagonal of the inverse correlation matrix, which
    equals the regression definition (with an intercept) exactly.
    """
    k = X.shape[1]
    if k < 2:
        return np.ones(k)
    with np.errstate(divide="ignore", invalid="ignore"):
        corr = np.corrcoef(X, rowvar=False)
    if not np.all(np.isfinite(corr)):
        return np.full(k, np.inf)
    try:
        return np.asarray(np.diag(np.linalg.inv(corr)), dtype=float)
    except np.linalg.LinAlgError:
        return np.full(k, np.inf)
