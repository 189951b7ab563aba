"""Usual intake: the distribution of long-run intake in a population, from a few recorded days.

One or two recorded days per person say little about what each person usually eats: a
person who eats natto twice a week looks like a 375 µg/day eater on a natto day and like a
zero eater on the others. The mean of a person's recorded days keeps that day-to-day
variation, so the distribution of such means is too wide, and the share of people inside a
range such as the Chinese osteoporosis handbook's 50-120 µg/day of vitamin K2 is badly
biased. Usual-intake methods separate within-person from between-person variation with a
mixed model fitted to every recorded day, and describe the distribution of the
between-person part only.

:func:`usual_intake` counts intake each guideline's way (its measure), through the cohort
engine (:func:`k2nutrition.cohort.daily_intake` and :func:`k2nutrition.cohort.assess`),
and fits, per measure, one of two models:

``"amount"``
    For a component eaten nearly every day (phylloquinone from vegetables): a Box-Cox
    transformation to normality and a linear mixed model with a random intercept per person
    (the NCI amount-only model; the NRC 1986 and Nusser et al. 1996 approach).
``"episodic"``
    For a component eaten on some days only (menaquinones from natto and cheese): the NCI
    two-part model, the probability of eating it on a day (logistic, with a person effect)
    times the amount on the days it is eaten (Box-Cox, linear, with a person effect), the two
    person effects correlated (Tooze et al. 2006; Kipnis et al. 2009).

``method="auto"`` chooses the episodic model when more than
:data:`EPISODIC_ZERO_SHARE` of person-days have none of the component.
:func:`simulate` makes populations whose usual intakes are known, to see how well this
works. Needs scipy (and statsmodels for ``fit="mixedlm"``): ``pip install
'k2nutrition[usual]'``.

Examples
--------
>>> from k2nutrition import usual
>>> sim = usual.simulate(3000, seed=1)
>>> result = usual.usual_intake(sim.records, sim.persons, ["china-osteoporosis-2013"])
>>> result.n_people, result.n_repeat
(3000, 3000)
>>> result.models["method"].tolist()  # most person-days have no menaquinones
['episodic']
>>> within = ((sim.truth["MENAQUINONES"] >= 50) & (sim.truth["MENAQUINONES"] <= 120)).mean()
>>> estimate = result.shares["share_meeting"].iloc[0]  # one group: all adults
>>> naive = result.naive["share_meeting"].iloc[0]
>>> bool(abs(estimate - within) < abs(naive - within))
True
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np
import pandas as pd

from k2nutrition import cohort
from k2nutrition.errors import K2NutritionError, MissingDependencyError
from k2nutrition.food import FoodTable
from k2nutrition.guideline import Guideline
from k2nutrition.guideline import guidelines as catalogue

if TYPE_CHECKING:
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]

__all__ = [
    "EPISODIC_ZERO_SHARE",
    "PERCENTILES",
    "NotEnoughDaysError",
    "Simulation",
    "UsualIntakeError",
    "UsualIntakeResult",
    "simulate",
    "usual_intake",
]

#: ``method="auto"`` fits the episodic model when more than this share of person-days
#: have none of the component (the NCI guidance speaks of "episodically consumed"
#: components; 10% zero days is the usual rule of thumb).
EPISODIC_ZERO_SHARE: Final = 0.10
#: Percentiles reported, in per cent.
PERCENTILES: Final = (5, 10, 25, 50, 75, 90, 95)

Method = Literal["auto", "amount", "episodic"]
Fit = Literal["moments", "mixedlm"]

_LAMBDA_BOUNDS: Final = (0.0, 1.0)
_NODES_PERSON: Final = 30  # Gauss-Hermite nodes over the consumption person effect
_NODES_DAY: Final = 15  # Gauss-Hermite nodes over the within-person error (back-transformation)
_MC_TOTAL: Final = 1_000_000  # pseudo-persons per measure, at least
_MIN_REPEAT: Final = 10


class UsualIntakeError(K2NutritionError, ValueError):
    """Records, persons or options with which usual intake cannot be estimated."""


class NotEnoughDaysError(UsualIntakeError):
    """Too few people with two or more recorded days to separate day-to-day variation."""


def _scipy() -> Any:
    try:
        import scipy.optimize
        import scipy.special
        import scipy.stats
    except ImportError:
        raise MissingDependencyError("usual_intake", "scipy", "usual") from None
    return scipy


# -- results ------------------------------------------------------------------------------


@attrs.frozen
class UsualIntakeResult:
    """The result of :func:`usual_intake`.

    Attributes
    ----------
    percentiles : pandas.DataFrame
        Per guideline and group: ``guideline``, ``edition``, ``measure``, the group columns,
        ``people``, ``method``, then ``p5_ug_per_day`` ... ``p95_ug_per_day``: percentiles
        of the estimated usual-intake distribution, counted the guideline's way (calcium in
        ``p5_mg_per_day`` ... columns, NaN in the others and the other way round).
    shares : pandas.DataFrame
        Per guideline and group: ``people`` (with a target), ``target_type``,
        ``unit``, ``target_low``, ``target_high``, ``share_below`` (usual intake below the
        target or range), ``share_meeting`` (at or above the target; within a range),
        ``share_above`` (above a range; NaN for a single target), ``share_below_ear`` (the
        EAR cut-point prevalence, where the guideline sets an EAR) and ``share_above_ul``
        (where it sets a UL); NaN where the guideline sets no such value.
    naive : pandas.DataFrame
        The same shares and percentiles from each person's mean of recorded days (what
        :func:`k2nutrition.cohort.assess` summarises), for comparison.
    models : pandas.DataFrame
        One row per measure: ``measure``, ``method``, ``fit``, ``zero_share`` (person-days
        with none), ``lambda`` (Box-Cox), the variance components on the transformed scale,
        ``rho`` (correlation of the person effects, episodic model), ``never_consumers``
        (the estimated share, with ``never_consumers=True``) and ``converged``.
    notes : tuple of str
        Assumptions and warnings, in words.
    n_people : int
        People assessed.
    n_repeat : int
        People with two or more recorded days.
    """

    percentiles: pd.DataFrame
    shares: pd.DataFrame
    naive: pd.DataFrame
    models: pd.DataFrame
    notes: tuple[str, ...]
    n_people: int
    n_repeat: int

    def __str__(self) -> str:
        lines = [
            f"Usual intake of {self.n_people} people ({self.n_repeat} with repeat days)",
            self.shares.to_string(index=False),
            "",
            self.percentiles.to_string(index=False),
            "",
            *(f"- {note}" for note in self.notes),
        ]
        return "\n".join(lines)


# -- the models ---------------------------------------------------------------------------


@attrs.frozen
class _PersonDays:
    """Per-person sums of one measure over recorded days (transformed scale where needed)."""

    n: FloatArray  # recorded days
    k: FloatArray  # days with the component (episodic) or all days (amount)
    s1: FloatArray  # sum of transformed amounts over those days
    s2: FloatArray  # sum of squares


def _sums(
    codes: npt.NDArray[np.intp], t: FloatArray, n_people: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    k = np.bincount(codes, minlength=n_people).astype(float)
    s1 = np.bincount(codes, weights=t, minlength=n_people).astype(float)
    s2 = np.bincount(codes, weights=t * t, minlength=n_people).astype(float)
    return k, s1, s2


#: Below this, lambda is taken as 0 (the log): the difference is far below rounding error
#: of intakes, and dividing by a subnormal lambda is not exact.
_LAMBDA_ZERO: Final = 1e-12


def _boxcox(y: FloatArray, lam: float) -> FloatArray:
    sp = _scipy()
    out: FloatArray = sp.special.boxcox(y, 0.0 if abs(lam) < _LAMBDA_ZERO else lam)
    return out


def _inv_boxcox(t: FloatArray, lam: float) -> FloatArray:
    if abs(lam) < _LAMBDA_ZERO:
        return np.exp(t)
    # exp(log1p(lam t) / lam) stays exact for lambda near 0; lam t <= -1 is below zero intake.
    scaled = lam * t
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(
            scaled > -1.0, np.exp(np.log1p(np.maximum(scaled, -1.0)) / lam), 0.0
        )
    return out


@attrs.frozen
class _Linear:
    """A random-intercept linear model fitted on the transformed scale."""

    beta: FloatArray
    var_between: float
    var_within: float
    loglik: float
    converged: bool = True


def _moments(x: FloatArray, k: FloatArray, s1: FloatArray, s2: FloatArray) -> _Linear:
    """Fit ``t_ij = x_i beta + u_i + e_ij`` by least squares and the ANOVA estimator.

    ``x`` holds one row per person (covariates do not change from day to day); people
    with ``k == 0`` take no part.
    """
    used = k > 0
    x, k, s1, s2 = x[used], k[used], s1[used], s2[used]
    n_obs, n_people = float(k.sum()), len(k)
    xtx = x.T @ (x * k[:, None])
    beta: FloatArray = np.linalg.solve(xtx, x.T @ s1).astype(float)
    mu = x @ beta
    within_ss = np.maximum(s2 - s1 * s1 / k, 0.0)
    df_within = n_obs - n_people
    var_within = float(within_ss.sum() / df_within) if df_within > 0 else math.nan
    mean_resid = s1 / k - mu
    grand = float((k * mean_resid).sum() / n_obs)
    df_between = n_people - x.shape[1]
    msb = float((k * (mean_resid - grand) ** 2).sum() / max(df_between, 1))
    n0 = (n_obs - float((k * k).sum()) / n_obs) / max(n_people - 1, 1)
    var_between = max((msb - var_within) / n0, 0.0)
    loglik = _cs_loglik(k, within_ss, mean_resid, var_between, var_within)
    return _Linear(beta, var_between, var_within, loglik)


def _cs_loglik(
    k: FloatArray,
    within_ss: FloatArray,
    mean_resid: FloatArray,
    var_between: float,
    var_within: float,
) -> float:
    """Gaussian log-likelihood of a random-intercept model (compound symmetry per person)."""
    var_within = max(var_within, 1e-12)
    b = var_within + k * var_between
    return float(
        -0.5
        * (
            k * math.log(2 * math.pi)
            + (k - 1) * math.log(var_within)
            + np.log(b)
            + within_ss / var_within
            + k * mean_resid**2 / b
        ).sum()
    )


def _choose_lambda(
    y: FloatArray, codes: npt.NDArray[np.intp], x: FloatArray, n_people: int
) -> tuple[float, _Linear, FloatArray, float, float]:
    """Choose the Box-Cox lambda that maximises the mixed model's likelihood.

    The likelihood includes the Jacobian of the transformation, so that values of lambda
    can be compared. Returns lambda, the fit on the standardised transformed scale and the
    standardised transformed values with their centre and scale.
    """
    sp = _scipy()
    log_y = float(np.log(y).sum())

    def negll(lam: float) -> float:
        t = _boxcox(y, lam)
        centre, scale = float(t.mean()), float(t.std()) or 1.0
        k, s1, s2 = _sums(codes, (t - centre) / scale, n_people)
        fit = _moments(x, k, s1, s2)
        return -(fit.loglik - len(y) * math.log(scale) + (lam - 1.0) * log_y)

    found = sp.optimize.minimize_scalar(
        negll, bounds=_LAMBDA_BOUNDS, method="bounded", options={"xatol": 1e-3}
    )
    lam = float(found.x)
    for edge in _LAMBDA_BOUNDS:  # the bounded search never evaluates the bounds themselves
        if negll(edge) < negll(lam):
            lam = edge
    t = _boxcox(y, lam)
    centre, scale = float(t.mean()), float(t.std()) or 1.0
    z = (t - centre) / scale
    k, s1, s2 = _sums(codes, z, n_people)
    return lam, _moments(x, k, s1, s2), z, centre, scale


def _mixedlm(x: FloatArray, codes: npt.NDArray[np.intp], z: FloatArray) -> _Linear:
    try:
        import statsmodels.api as sm
    except ImportError:
        raise MissingDependencyError(
            "usual_intake(fit='mixedlm')", "statsmodels", "usual"
        ) from None
    model = sm.MixedLM(z, x[codes], groups=codes)
    fitted = model.fit(reml=True)
    return _Linear(
        np.asarray(fitted.fe_params, dtype=float),
        float(np.asarray(fitted.cov_re)[0, 0]),
        float(fitted.scale),
        float(fitted.llf),
        bool(fitted.converged),
    )


@attrs.frozen
class _Episodic:
    alpha: FloatArray
    beta: FloatArray
    sd_v: float
    sd_u: float
    sd_e: float
    rho: float
    consumers: float  # the share of possible consumers (1 without never-consumers)
    converged: bool
    message: str


def _episodic_nll(
    theta: FloatArray,
    x: FloatArray,
    data: _PersonDays,
    nodes: FloatArray,
    log_weights: FloatArray,
) -> tuple[float, FloatArray]:
    """Minus the log-likelihood of the NCI two-part model, and its gradient.

    Person ``i`` has ``n`` recorded days, ``k`` of them with the component, with
    standardised transformed amounts summing to ``s1`` (squares ``s2``). The model:
    ``logit P(eat) = x alpha + v``; amount ``t = x beta + u + e``; ``(v, u)`` bivariate
    normal with correlation ``rho``; ``e`` normal. Given ``v``, ``u`` is normal, and the
    amounts of one person are jointly normal with compound symmetry, so they are
    integrated in closed form; ``v`` is integrated by Gauss-Hermite quadrature.
    """
    p = x.shape[1]
    alpha, beta = theta[:p], theta[p : 2 * p]
    sd_v, sd_u, sd_e = np.exp(theta[2 * p : 2 * p + 3])
    rho = math.tanh(theta[2 * p + 3])
    n, k, s1, s2 = data.n, data.k, data.s1, data.s2
    var_e = sd_e * sd_e
    a = rho * sd_u
    tau2 = sd_u * sd_u * (1.0 - rho * rho)
    mu = x @ beta
    r1 = s1 - k * mu
    r2 = s2 - 2.0 * mu * s1 + k * mu * mu
    b = var_e + k * tau2
    eta = (x @ alpha)[:, None] + sd_v * nodes[None, :]
    log_p = -np.logaddexp(0.0, -eta)
    log_q = -np.logaddexp(0.0, eta)
    kz = k[:, None] * nodes[None, :]
    d1 = r1[:, None] - a * kz
    d2 = r2[:, None] - 2.0 * a * nodes[None, :] * r1[:, None] + (a * a) * kz * nodes[None, :]
    const = k * math.log(2 * math.pi) + (k - 1.0) * math.log(var_e) + np.log(b)
    c = (tau2 / (var_e * b))[:, None]
    ell = k[:, None] * log_p + (n - k)[:, None] * log_q
    ell -= 0.5 * (const[:, None] + d2 / var_e - c * d1 * d1)
    ell += log_weights[None, :]
    top = ell.max(axis=1)
    log_l = top + np.log(np.exp(ell - top[:, None]).sum(axis=1))
    post = np.exp(ell - log_l[:, None])
    grad_never: list[float] = []
    if len(theta) > 2 * p + 4:
        # A share 1 - pi of never-consumers, whose every day is zero (Kipnis et al. 2009).
        log_pi = -np.logaddexp(0.0, -theta[-1])
        log_not = -np.logaddexp(0.0, theta[-1])
        total = log_pi + log_l
        zero = k == 0
        total[zero] = np.logaddexp(total[zero], log_not)
        w = np.exp(log_pi + log_l - total)  # the person's chance of being a consumer
        post *= w[:, None]
        pi = math.exp(log_pi)
        grad_never = [float(((1.0 - pi) * w - pi * (1.0 - w)).sum())]
        log_l = total
    # Gradient: the posterior mean over the nodes of each term's derivative.
    g_eta = post * (k[:, None] - n[:, None] * np.exp(log_p))
    grad_alpha = x.T @ g_eta.sum(axis=1)
    grad_log_sd_v = sd_v * float((g_eta * nodes[None, :]).sum())
    b_col = b[:, None]
    d_mu = post * d1 / b_col
    grad_beta = x.T @ d_mu.sum(axis=1)
    d_a = float((d_mu * nodes[None, :]).sum())
    d_tau2 = float((post * (0.5 * d1 * d1 / (b_col * b_col) - 0.5 * k[:, None] / b_col)).sum())
    d_var_e = float(
        (
            post
            * (
                -0.5 * ((k - 1.0) / var_e + 1.0 / b)[:, None]
                + 0.5 * d2 / (var_e * var_e)
                - 0.5 * tau2 * d1 * d1 * ((var_e + b) / (var_e * var_e * b * b))[:, None]
            )
        ).sum()
    )
    grad = np.concatenate(
        [
            grad_alpha,
            grad_beta,
            [
                grad_log_sd_v,
                d_a * a + d_tau2 * 2.0 * tau2,
                d_var_e * 2.0 * var_e,
                (d_a * sd_u - d_tau2 * 2.0 * sd_u * sd_u * rho) * (1.0 - rho * rho),
            ],
            grad_never,
        ]
    )
    return -float(log_l.sum()), -grad


def _gauss_hermite(m: int) -> tuple[FloatArray, FloatArray]:
    """Nodes and weights for expectations over a standard normal variable."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(m)
    return nodes, weights / weights.sum()


def _fit_episodic(x: FloatArray, data: _PersonDays, start: FloatArray) -> _Episodic:
    sp = _scipy()
    nodes, weights = _gauss_hermite(_NODES_PERSON)
    log_w = np.log(weights)
    p = x.shape[1]
    bounds = [(None, None)] * (2 * p) + [(-8.0, 4.0)] * 3 + [(-3.8, 3.8)]
    bounds += [(-8.0, 8.0)] * (len(start) - len(bounds))
    found = sp.optimize.minimize(
        _episodic_nll,
        start,
        args=(x, data, nodes, log_w),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={"maxiter": 500},
    )
    theta = found.x
    sd_v, sd_u, sd_e = np.exp(theta[2 * p : 2 * p + 3])
    return _Episodic(
        theta[:p],
        theta[p : 2 * p],
        float(sd_v),
        float(sd_u),
        float(sd_e),
        math.tanh(float(theta[2 * p + 3])),
        1.0 / (1.0 + math.exp(-float(theta[-1]))) if len(theta) > 2 * p + 4 else 1.0,
        bool(found.success),
        str(found.message),
    )


def _expected_amount(
    linear: FloatArray, sd_e: float, lam: float, centre: float, scale: float
) -> FloatArray:
    """Mean of the back-transformed amount over the within-person error (quadrature)."""
    nodes, weights = _gauss_hermite(_NODES_DAY)
    total = np.zeros_like(linear)
    for z, w in zip(nodes, weights, strict=True):
        total += w * _inv_boxcox(centre + scale * (linear + sd_e * z), lam)
    return total


# -- the fit for one measure ----------------------------------------------------------------


@attrs.frozen
class _MeasureFit:
    usual: FloatArray  # (n_people, draws), in the daily column's unit
    row: dict[str, Any]
    notes: list[str]


def _fit_measure(
    name: str,
    y: FloatArray,
    codes: npt.NDArray[np.intp],
    x: FloatArray,
    n_days: FloatArray,
    method: Method,
    fit: Fit,
    draws: int,
    rng: np.random.Generator,
    never_consumers: bool,
) -> _MeasureFit:
    n_people = len(n_days)
    zero_share = float((y <= 0).mean())
    chosen = method
    if method == "auto":
        chosen = "episodic" if zero_share > EPISODIC_ZERO_SHARE else "amount"
    notes: list[str] = []
    if chosen == "episodic":
        return _fit_two_part(name, y, codes, x, n_days, zero_share, draws, rng, never_consumers)
    positive = y > 0
    if not positive.any():
        raise UsualIntakeError(f"{name}: every recorded day is zero; there is nothing to model")
    y_used = y.copy()
    if not positive.all():
        floor = float(y[positive].min()) / 2.0
        y_used[~positive] = floor
        notes.append(
            f"{name}: {zero_share:.1%} of person-days had none; the amount-only model "
            f"counted them as {floor:.3g} (half the smallest amount recorded)."
        )
    lam, linear, z, centre, scale = _choose_lambda(y_used, codes, x, n_people)
    fit_used: str = fit
    if fit == "mixedlm":
        linear = _mixedlm(x, codes, z)
    if linear.var_between <= 0:
        notes.append(
            f"{name}: no between-person variation beyond the covariates was found; "
            "the usual intakes differ only by covariates."
        )
    u = rng.standard_normal((n_people, draws)) * math.sqrt(max(linear.var_between, 0.0))
    usual = _expected_amount(
        (x @ linear.beta)[:, None] + u, math.sqrt(linear.var_within), lam, centre, scale
    )
    row = {
        "measure": name,
        "method": "amount",
        "fit": fit_used,
        "zero_share": zero_share,
        "lambda": lam,
        "var_between": linear.var_between * scale * scale,
        "var_within": linear.var_within * scale * scale,
        "var_between_consumption": math.nan,
        "rho": math.nan,
        "never_consumers": math.nan,
        "converged": linear.converged,
    }
    return _MeasureFit(usual, row, notes)


def _fit_two_part(
    name: str,
    y: FloatArray,
    codes: npt.NDArray[np.intp],
    x: FloatArray,
    n_days: FloatArray,
    zero_share: float,
    draws: int,
    rng: np.random.Generator,
    never_consumers: bool,
) -> _MeasureFit:
    n_people = len(n_days)
    positive = y > 0
    if not positive.any():
        raise UsualIntakeError(f"{name}: every recorded day is zero; there is nothing to model")
    if zero_share == 0:
        raise UsualIntakeError(
            f"{name}: no person-day is zero, so there is no probability to model; "
            "use method='amount'"
        )
    pos_codes = codes[positive]
    lam, linear, z, centre, scale = _choose_lambda(y[positive], pos_codes, x, n_people)
    k, s1, s2 = _sums(pos_codes, z, n_people)
    data = _PersonDays(n_days, k, s1, s2)
    share = float(k.sum() / n_days.sum())
    p = x.shape[1]
    start = np.zeros(2 * p + 4 + never_consumers)
    start[0] = math.log(share / (1.0 - share))
    start[p : 2 * p] = linear.beta
    start[2 * p] = 0.0
    start[2 * p + 1] = 0.5 * math.log(max(linear.var_between, 1e-4))
    start[2 * p + 2] = 0.5 * math.log(max(linear.var_within, 1e-4))
    model = _fit_episodic(x, data, start)
    notes = []
    if not model.converged:
        notes.append(f"{name}: the two-part fit stopped before converging ({model.message}).")
    z1 = rng.standard_normal((n_people, draws))
    z2 = rng.standard_normal((n_people, draws))
    v = model.sd_v * z1
    u = model.sd_u * (model.rho * z1 + math.sqrt(1.0 - model.rho**2) * z2)
    prob = 1.0 / (1.0 + np.exp(-((x @ model.alpha)[:, None] + v)))
    if never_consumers:
        prob *= rng.random((n_people, draws)) < model.consumers
        notes.append(
            f"{name}: {1.0 - model.consumers:.1%} of people estimated never to eat the component."
        )
        if (n_days >= 3).mean() < 0.5:
            notes.append(
                f"{name}: most people have fewer than three recorded days, so the share of "
                "never-consumers is weakly identified and may be wrong either way; prefer "
                "three or more days for part of the people, or a food frequency question."
            )
    amount = _expected_amount((x @ model.beta)[:, None] + u, model.sd_e, lam, centre, scale)
    row = {
        "measure": name,
        "method": "episodic",
        "fit": "joint ML",
        "zero_share": zero_share,
        "lambda": lam,
        "var_between": model.sd_u**2 * scale * scale,
        "var_within": model.sd_e**2 * scale * scale,
        "var_between_consumption": model.sd_v**2,
        "rho": model.rho,
        "never_consumers": 1.0 - model.consumers if never_consumers else math.nan,
        "converged": model.converged,
    }
    return _MeasureFit(prob * amount, row, notes)


# -- inputs -----------------------------------------------------------------------------------


def _covariates(persons: pd.DataFrame, names: Sequence[str]) -> tuple[FloatArray, list[str]]:
    """One row per person: an intercept and the covariates (numbers standardised)."""
    columns: list[FloatArray] = [np.ones(len(persons))]
    labels = ["intercept"]
    for name in names:
        if name not in persons.columns:
            raise UsualIntakeError(f"covariate {name!r} is not a column of persons")
        column = persons[name]
        if column.isna().any():
            raise UsualIntakeError(f"covariate {name!r} has missing values")
        if name == "sex":
            text = column.astype("string").str.strip().str.casefold()
            columns.append(text.isin(["male", "m"]).to_numpy().astype(np.float64))
            labels.append("male")
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            values = column.to_numpy(float)
            sd = float(values.std()) or 1.0
            columns.append((values - values.mean()) / sd)
            labels.append(name)
        else:
            dummies = pd.get_dummies(column.astype("string"), prefix=name, drop_first=True)
            for label in dummies.columns:
                columns.append(dummies[label].to_numpy(float))
                labels.append(str(label))
    x = np.column_stack(columns)
    keep = [0] + [j for j in range(1, x.shape[1]) if x[:, j].std() > 0]
    return x[:, keep], [labels[j] for j in keep]


def _computed(frame: Any) -> pd.DataFrame:
    if type(frame).__module__.startswith("dask"):
        result: pd.DataFrame = frame.compute()
        return result
    return frame  # type: ignore[no-any-return]


def _default_draws(n_people: int) -> int:
    return int(min(1000, max(10, math.ceil(_MC_TOTAL / max(n_people, 1)))))


# -- summaries ---------------------------------------------------------------------------------


def _pct_columns(unit: str = "µg/day") -> list[str]:
    """Percentile columns with the unit in the name: ``p5_ug_per_day``, ``p5_mg_per_day``."""
    suffix = unit.replace("µg", "ug").replace("/", "_per_")
    return [f"p{p}_{suffix}" for p in PERCENTILES]


def _column(g: Guideline) -> str:
    """Return the daily-intake column that ``g`` counts: its measure, calcium or vitamin D."""
    if g.measure is not None:
        return g.measure.name
    return "calcium" if g.nutrient == "calcium" else "vitamin_D"


def _group_rows(
    values: FloatArray,
    low: FloatArray,
    high: FloatArray,
    ul: FloatArray,
    ear: FloatArray,
    kind: str,
    unit: str = "µg/day",
) -> dict[str, float]:
    """Shares and percentiles of ``values`` (one row per person, draws in columns)."""
    flat = values.ravel()
    draws = values.shape[1]
    pct = np.percentile(flat, PERCENTILES).tolist()
    out = dict(zip(_pct_columns(unit), pct, strict=True))
    has_target = ~np.isnan(low)
    lo = np.repeat(low[has_target], draws)
    hi = np.repeat(high[has_target], draws)
    target_values = values[has_target].ravel()
    if len(target_values):
        below = float((target_values < lo).mean())
        above = float((target_values > hi).mean()) if kind == "range" else math.nan
        out["share_below"] = below
        out["share_above"] = above
        out["share_meeting"] = 1.0 - below - (0.0 if math.isnan(above) else above)
        u = np.repeat(ul[has_target], draws)
        out["share_above_ul"] = (
            float((target_values > u).mean()) if not np.isnan(u).all() else math.nan
        )
    else:
        out.update(share_below=math.nan, share_above=math.nan, share_meeting=math.nan)
        out["share_above_ul"] = math.nan
    has_ear = ~np.isnan(ear)
    out["share_below_ear"] = (
        float((values[has_ear] < ear[has_ear][:, None]).mean()) if has_ear.any() else math.nan
    )
    return out


_SHARE_COLUMNS: Final = (
    "share_below",
    "share_meeting",
    "share_above",
    "share_below_ear",
    "share_above_ul",
)


def _summarise(
    g: Guideline,
    fitted: _MeasureFit,
    rows: pd.DataFrame,
    people: pd.DataFrame,
    group_cols: list[str] | None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Percentile, share and naive rows of one guideline, one row per group."""
    low = rows["target_low"].to_numpy(float)
    high_given = rows["target_high"].to_numpy(float)
    high = np.where(np.isnan(high_given) & ~np.isnan(low), np.inf, high_given)
    ul = rows["upper_limit"].to_numpy(float)
    ear = rows["ear"].to_numpy(float)
    naive = rows["intake"].to_numpy(float)[:, None]
    kinds = rows["target_type"].astype(object).fillna("").astype(str).to_numpy()
    unit = str(rows["unit"].iloc[0])
    pct_cols = _pct_columns(unit)
    if group_cols is None:
        keys = pd.DataFrame(
            {"sex": people["sex"].astype(str).str.strip().str.casefold().to_numpy(),
             "life_stage": rows["life_stage"].astype(str).to_numpy()}
        )  # fmt: skip
    elif group_cols:
        keys = people[group_cols].reset_index(drop=True)
    else:
        keys = pd.DataFrame({"group": np.full(len(people), "all")})
    group_codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys), sort=True)
    pct_rows, share_rows, naive_rows = [], [], []
    for j, key in enumerate(uniques):
        members = np.flatnonzero(group_codes == j)
        head: dict[str, Any] = {"guideline": g.id, "edition": g.edition, "measure": _column(g)}
        head.update(zip(keys.columns, key if isinstance(key, tuple) else (key,), strict=True))
        with_target = members[~np.isnan(low[members])]
        kind = str(kinds[with_target[0]]) if len(with_target) else ""
        args = (low[members], high[members], ul[members], ear[members], kind, unit)
        est = _group_rows(fitted.usual[members], *args)
        nai = _group_rows(naive[members], *args)
        pct_rows.append(
            {**head, "people": len(members), "method": fitted.row["method"]}
            | {c: est[c] for c in pct_cols}
        )
        target = {
            "people": len(with_target),
            "target_type": kind,
            "unit": unit,
            "target_low": _same(low[with_target]),
            "target_high": _same(high_given[with_target]),
        }
        share_rows.append({**head, **target} | {c: est[c] for c in _SHARE_COLUMNS})
        naive_rows.append(
            {**head, **target} | {c: nai[c] for c in _SHARE_COLUMNS} | {c: nai[c] for c in pct_cols}
        )
    return pct_rows, share_rows, naive_rows


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Put the percentile columns last, µg/day before mg/day (each NaN in the other unit)."""
    pct = [c for unit in ("µg/day", "mg/day") for c in _pct_columns(unit) if c in frame.columns]
    return frame[[c for c in frame.columns if c not in pct] + pct]


def _not_analysed_note(daily: pd.DataFrame, name: str) -> list[str]:
    """Say how much of the food mass had no figure for ``name`` (totals are then lower bounds)."""
    column = f"not_analysed_g_{name}"
    if column not in daily.columns or "food_g" not in daily.columns:
        return []
    food = float(daily["food_g"].sum())
    missing = float(daily[column].sum())
    if food <= 0 or missing <= 0:
        return []
    return [
        f"{name}: {missing / food:.1%} of the food mass recorded comes from food records "
        "that did not analyse all it counts; daily totals count what was analysed, so usual "
        "intakes are lower bounds."
    ]


def _same(values: FloatArray) -> float:
    """Return the one value all of ``values`` share, else NaN (per-kg targets differ by person)."""
    if len(values) and np.all(values == values[0]):
        return float(values[0])
    return math.nan


# -- the public function -----------------------------------------------------------------------


def _check_options(
    persons: pd.DataFrame,
    method: str,
    fit: str,
    draws: int | None,
    covariates: Sequence[str],
    group_by: str | Sequence[str] | None,
) -> list[str] | None:
    """Refuse options that cannot work, before any data step; return the group columns."""
    if method not in ("auto", "amount", "episodic"):
        raise UsualIntakeError(f"method must be 'auto', 'amount' or 'episodic', not {method!r}")
    if fit not in ("moments", "mixedlm"):
        raise UsualIntakeError(f"fit must be 'moments' or 'mixedlm', not {fit!r}")
    if draws is not None and draws < 1:
        raise UsualIntakeError(f"draws must be at least 1, not {draws}")
    if isinstance(covariates, str):
        raise UsualIntakeError(f"covariates must be a sequence of column names, not {covariates!r}")
    group_cols = (
        [group_by] if isinstance(group_by, str) else None if group_by is None else list(group_by)
    )
    for what, names in (("covariate", list(covariates)), ("group_by column", group_cols or [])):
        for col in names:
            if col not in persons.columns:
                raise UsualIntakeError(f"{what} {col!r} is not a column of persons")
    return group_cols


def usual_intake(
    records: Any,
    persons: pd.DataFrame,
    guidelines: Iterable[Guideline | str] | Guideline | str | None = None,
    *,
    method: Method = "auto",
    covariates: Sequence[str] = ("age", "sex"),
    group_by: str | Sequence[str] | None = None,
    fit: Fit = "moments",
    never_consumers: bool = False,
    draws: int | None = None,
    seed: int = 0,
    foods: FoodTable | None = None,
    columns: Mapping[str, str] | None = None,
    errors: cohort.Errors = "raise",
) -> UsualIntakeResult:
    """Estimate the distribution of usual intake per group, as each guideline counts it.

    Parameters
    ----------
    records : pandas.DataFrame or dask.dataframe.DataFrame
        Food records as for :func:`k2nutrition.cohort.daily_intake`, with a ``day`` column;
        two or more recorded days for at least part of the people. Every recorded day must
        have at least one row (a day with none of the foods that carry vitamin K still needs
        its rows, or a row of 0 g): a day without rows is not a zero day, it is no day.
    persons : pandas.DataFrame
        As for :func:`k2nutrition.cohort.assess`: ``person_id``, ``age``, ``sex``, ...,
        and the covariate and grouping columns.
    guidelines : Guideline, str, or iterable of them, optional
        Vitamin K, calcium and vitamin D adequacy guidelines (one id, or several); the
        vitamin K ones by default.
        Guidelines that count vitamin K the same way share one fitted model.
    method : {"auto", "amount", "episodic"}, default "auto"
        ``"amount"``: the one-part model for components eaten nearly every day.
        ``"episodic"``: the NCI two-part model. ``"auto"``: episodic when more than
        :data:`EPISODIC_ZERO_SHARE` of person-days have none of the component.
    covariates : sequence of str, default ("age", "sex")
        Columns of ``persons`` entered as fixed effects (numbers linearly, ``sex`` as
        male/female, other text columns as indicators).
    group_by : str or sequence of str, optional
        Columns of ``persons`` to report by; by default sex and the guideline's life stage;
        ``()`` for everyone together (a column ``group`` with the value ``all``).
    fit : {"moments", "mixedlm"}, default "moments"
        How the amount-only model's variance components are estimated: the ANOVA
        (method-of-moments) estimator, or REML with :class:`statsmodels.MixedLM` (slow for
        many people). The episodic model is always fitted by maximum likelihood.
    never_consumers : bool, default False
        In the episodic model, let a share of people never eat the component (estimated,
        with the two-part model for the others). Reliable with three or more recorded days
        for many people; with two, the share is weakly identified and the notes say so.
    draws : int, optional
        Monte Carlo pseudo-persons per person; by default enough for a million in all
        (at least 10, at most 1000).
    seed : int, default 0
        Seed of the Monte Carlo draws.
    foods, columns, errors
        As for :func:`k2nutrition.cohort.assess`.

    Returns
    -------
    UsualIntakeResult

    Raises
    ------
    NotEnoughDaysError
        If fewer than 10 people have two or more recorded days: day-to-day variation
        cannot be told from differences between people with one day each (and the
        episodic model, which needs repeat days to tell a rare eater from a non-eater, is
        refused with one day per person).
    UsualIntakeError
        For a missing covariate or grouping column, or a measure that is zero on every day.

    Notes
    -----
    Both models assume that recorded days are a random sample of each person's days, that
    the recorded amounts are unbiased for the true amounts (no under-reporting), that the
    transformed amounts are normal with constant variances, and that person effects are
    normal. The covariates' effects are common to all groups (one model per measure,
    fitted on all people); the variances are common to all people. The episodic model
    treats every person as a possible consumer: with one or two days per person it cannot
    separate people who never eat a food from people who eat it rarely (Tooze et al.
    2006). ``never_consumers=True`` adds a share of never-consumers to the likelihood
    (the extension discussed by Kipnis et al. 2009), which repeat days beyond the second
    are needed to estimate well. Usual intake is estimated per person-day of the engine's
    daily totals; the Box-Cox lambda maximises the mixed model's likelihood within [0, 1] (as NCI's
    software searches a grid there). Back-transformation integrates the within-person
    error by 15-point Gauss-Hermite quadrature and the person effects by Monte Carlo.

    The two-part model is fitted jointly by maximum likelihood (scipy's L-BFGS-B, analytic
    gradient): given the consumption effect, the amount effect and the amounts are normal
    and are integrated in closed form; the consumption effect is integrated by 30-point
    Gauss-Hermite quadrature, as NCI's MIXTRAN does with SAS NLMIXED. Day-of-week and
    sequence effects, survey weights and measurement-error calibration are not modelled.

    References
    ----------
    .. [1] National Research Council (US) Subcommittee on Criteria for Dietary Evaluation.
       Nutrient Adequacy: Assessment Using Food Consumption Surveys. Washington (DC):
       National Academies Press; 1986. doi:10.17226/618
    .. [2] Nusser SM, Carriquiry AL, Dodd KW, Fuller WA. A semiparametric transformation
       approach to estimating usual daily intake distributions. J Am Stat Assoc.
       1996;91(436):1440-1449. doi:10.1080/01621459.1996.10476712
    .. [3] Tooze JA, Midthune D, Dodd KW, et al. A new statistical method for estimating
       the usual intake of episodically consumed foods with application to their
       distribution. J Am Diet Assoc. 2006;106(10):1575-1587.
       doi:10.1016/j.jada.2006.07.003
    .. [4] Kipnis V, Midthune D, Buckman DW, et al. Modeling data with excess zeros and
       measurement error: application to evaluating relationships between episodically
       consumed foods and health outcomes. Biometrics. 2009;65(4):1003-1010.
       doi:10.1111/j.1541-0420.2009.01223.x
    .. [5] Searle SR, Casella G, McCulloch CE. Variance Components. New York: Wiley; 1992.
       Chapter 3 (the ANOVA estimator for unbalanced one-way data).
       doi:10.1002/9780470316856

    Examples
    --------
    >>> from k2nutrition.usual import simulate, usual_intake
    >>> sim = simulate(2000, seed=3)
    >>> result = usual_intake(sim.records, sim.persons, ["efsa-2017"])
    >>> result.models["method"].tolist()  # phylloquinone: eaten every day here
    ['amount']
    >>> list(result.shares.columns[:4])
    ['guideline', 'edition', 'measure', 'sex']
    """
    _scipy()
    group_cols = _check_options(persons, method, fit, draws, covariates, group_by)
    if isinstance(guidelines, str | Guideline):
        guidelines = [guidelines]  # one guideline, not the characters of its id
    chosen = [catalogue[g] if isinstance(g, str) else g for g in guidelines] if guidelines else None
    id_col = (columns or {}).get("person_id", "person_id")
    daily = _computed(cohort.daily_intake(records, foods, columns=columns, errors=errors))
    assessed = cohort.assess(records, persons, chosen, foods=foods, columns=columns, errors=errors)
    per_person = _computed(assessed.per_person)
    if chosen is None:
        chosen = [catalogue[str(g)] for g in per_person["guideline"].cat.categories]
    first = per_person[per_person["guideline"] == chosen[0].id]
    # Sorted, so that the Monte Carlo draws do not depend on the order of the input rows.
    ids = pd.Index(first["person_id"].to_numpy()).sort_values()
    people = persons.set_index(id_col).loc[ids].reset_index()
    n_people = len(ids)
    codes = ids.get_indexer(pd.Index(daily["person_id"]))
    if (codes < 0).any():  # pragma: no cover - assess has refused these already
        raise UsualIntakeError("records name people who are not assessed")
    n_days = np.bincount(codes, minlength=n_people).astype(float)
    n_repeat = int((n_days >= 2).sum())
    if n_repeat < _MIN_REPEAT:
        raise NotEnoughDaysError(
            f"only {n_repeat} of {n_people} people have two or more recorded days; at least "
            f"{_MIN_REPEAT} are needed to tell day-to-day variation from differences between "
            "people (and, for an episodically eaten food, to tell a rare eater from a "
            "non-eater). Collect a repeat day for a subsample, or use cohort.assess for the "
            "mean of recorded days"
        )
    x, labels = _covariates(people, covariates)
    draws = draws if draws is not None else _default_draws(n_people)
    rng = np.random.default_rng(seed)
    notes = [
        f"{n_repeat} of {n_people} people ({n_repeat / n_people:.0%}) have two or more "
        "recorded days; the within-person variance comes from them alone.",
        "Covariates (fixed effects): " + (", ".join(labels[1:]) or "none") + ".",
        "Assumes recorded days are a random sample of each person's days, reported without "
        "bias, and normality of person effects and day-to-day deviations after a Box-Cox "
        "transformation.",
    ]
    fits: dict[str, _MeasureFit] = {}
    pct_rows: list[dict[str, Any]] = []
    share_rows: list[dict[str, Any]] = []
    naive_rows: list[dict[str, Any]] = []
    for g in chosen:
        name = _column(g)
        if name not in fits:
            unknown = _not_analysed_note(daily, name)
            y = daily[name].to_numpy(float)
            if not (y > 0).any():
                raise UsualIntakeError(
                    f"{g.id}: every recorded day has no {name}; there is nothing to model"
                    + (f" ({unknown[0]})" if unknown else "")
                )
            notes += unknown
            fits[name] = _fit_measure(
                name, y, codes, x, n_days, method, fit, draws, rng, never_consumers
            )
            notes += fits[name].notes
            if fits[name].row["method"] == "episodic" and not never_consumers:
                notes.append(
                    f"{name}: two-part model; people who never eat the foods are not "
                    "separated from people who eat them rarely."
                )
        rows = per_person[per_person["guideline"] == g.id].set_index("person_id").loc[ids]
        pct, shares, naive = _summarise(g, fits[name], rows, people, group_cols)
        pct_rows += pct
        share_rows += shares
        naive_rows += naive
        if (rows["target_type"] == "AI").any():
            notes.append(
                f"{g.id}: an AI; below it, adequacy cannot be judged, so share_below is "
                "not a prevalence of inadequacy."
            )
    models = pd.DataFrame([f.row for f in fits.values()])
    return UsualIntakeResult(
        _ordered(pd.DataFrame(pct_rows)),
        pd.DataFrame(share_rows),
        _ordered(pd.DataFrame(naive_rows)),
        models,
        tuple(notes),
        n_people,
        n_repeat,
    )


# -- simulation -------------------------------------------------------------------------------


@attrs.frozen
class Simulation:
    """A synthetic population whose usual intakes are known; see :func:`simulate`.

    Attributes
    ----------
    records : pandas.DataFrame
        Food records (``person_id``, ``day``, ``food``, ``amount_g``).
    persons : pandas.DataFrame
        ``person_id``, ``age``, ``sex``.
    truth : pandas.DataFrame
        Each person's true usual intake (µg/day) for every measure of the daily-intake
        frame (``K1_ONLY``, ``MENAQUINONES``, ``TOTAL_K``, ``JAPAN_MK4_EQ``).
    """

    records: pd.DataFrame
    persons: pd.DataFrame
    truth: pd.DataFrame


_SIM_FOODS: Final = {
    "natto": "natto-kamao-2007",
    "cheese": "emmental-ripened-cheese-mk-study",
    "vegetables": "spinach-kamao-2007",
}


def simulate(
    n_people: int,
    *,
    days: int = 2,
    repeat_share: float = 1.0,
    natto_eaters: float = 0.3,
    natto_per_week: float = 1.5,
    natto_portion_g: float = 40.0,
    portion_spread: float = 0.3,
    cheese_eaters: float = 0.6,
    seed: int = 0,
) -> Simulation:
    """Return a synthetic population whose usual intakes are known by construction.

    Each person eats natto on a share of days (``natto_eaters`` of people; weekly
    frequency drawn from a gamma distribution with mean ``natto_per_week`` and shape 2,
    at most daily), cheese on some days (``cheese_eaters`` of people; a daily probability
    from a beta(2, 3) distribution), and green vegetables every day. Each eater has a
    usual portion (log-normal around ``natto_portion_g``, 30 g of cheese and 30 g of
    vegetables, log-scale spread ``portion_spread``), and each day's portion varies
    around it (log-normal, log-scale sd 0.3 for natto and cheese, 0.6 for vegetables,
    mean one). Everyone has ``days`` recorded days, except that only ``repeat_share`` of
    people (chosen at random) have more than the first. The true usual intake is each
    person's expected daily amount: frequency times usual portion times content, summed
    over foods.

    Parameters
    ----------
    n_people : int
    days : int, default 2
    repeat_share : float, default 1.0
    natto_eaters, natto_per_week, natto_portion_g, portion_spread, cheese_eaters : float
    seed : int, default 0

    Returns
    -------
    Simulation

    Examples
    --------
    >>> sim = simulate(100, days=2, repeat_share=0.5)
    >>> int(sim.records.groupby("person_id")["day"].nunique().eq(2).sum())
    50
    """
    if n_people < 1 or days < 1 or not 0.0 <= repeat_share <= 1.0:
        raise UsualIntakeError("simulate needs n_people >= 1, days >= 1, 0 <= repeat_share <= 1")
    rng = np.random.default_rng(seed)
    ids = np.arange(1, n_people + 1)
    persons = pd.DataFrame(
        {
            "person_id": ids,
            "age": np.round(rng.uniform(20.0, 80.0, n_people), 1),
            "sex": np.where(rng.random(n_people) < 0.5, "female", "male"),
        }
    )
    day_sd = {"natto": 0.3, "cheese": 0.3, "vegetables": 0.6}
    weekly = np.minimum(rng.gamma(2.0, natto_per_week / 2.0, n_people), 7.0)
    freq = {
        "natto": np.where(rng.random(n_people) < natto_eaters, weekly / 7.0, 0.0),
        "cheese": np.where(rng.random(n_people) < cheese_eaters, rng.beta(2, 3, n_people), 0.0),
        "vegetables": np.ones(n_people),
    }
    spread = portion_spread
    centre = {"natto": natto_portion_g, "cheese": 30.0, "vegetables": 30.0}
    portion = {
        f: centre[f] * np.exp(spread * rng.standard_normal(n_people) - spread * spread / 2)
        for f in freq
    }
    content = _content_per_gram()
    truth: dict[str, Any] = {"person_id": ids}
    for measure in content["natto"]:
        truth[measure] = sum(freq[f] * portion[f] * content[f][measure] for f in freq)
    n_recorded = np.ones(n_people, dtype=np.int64)
    n_recorded[rng.permutation(n_people)[: round(repeat_share * n_people)]] = days
    person = np.repeat(np.arange(n_people), n_recorded)
    day = np.concatenate([np.arange(1, m + 1) for m in n_recorded]) if n_people else np.array([])
    parts = []
    for f in freq:
        eaten = rng.random(len(person)) < freq[f][person]
        who = person[eaten]
        sd = day_sd[f]
        grams = portion[f][who] * np.exp(sd * rng.standard_normal(len(who)) - sd * sd / 2)
        parts.append(
            pd.DataFrame(
                {"person_id": ids[who], "day": day[eaten], "food": _SIM_FOODS[f], "amount_g": grams}
            )
        )
    records = pd.concat(parts, ignore_index=True).sort_values(["person_id", "day"], kind="stable")
    return Simulation(records.reset_index(drop=True), persons, pd.DataFrame(truth))


def _content_per_gram() -> dict[str, dict[str, float]]:
    """Each simulated food's measures per gram, through the cohort engine."""
    one = pd.DataFrame(
        {"person_id": range(len(_SIM_FOODS)), "day": 1, "food": list(_SIM_FOODS.values()),
         "amount_g": 1.0}
    )  # fmt: skip
    daily = cohort.daily_intake(one)
    names = [m.name for m in cohort.MEASURE_COLUMNS]
    return {f: {m: float(daily[m].iloc[i]) for m in names} for i, f in enumerate(_SIM_FOODS)}
