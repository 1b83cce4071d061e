"""Charts with matplotlib (optional: python3-matplotlib)."""

__all__ = ["plot_fan", "plot_tornado"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError(
            "gpubudget's plots need matplotlib, which is not installed: "
            "apt-get install python3-matplotlib (or pip install matplotlib)"
        ) from e
    return plt


def plot_fan(result, ax=None):
    """The cash fan of a Result (see Result.plot_fan)."""
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4.5))
    f = result.fan((0.05, 0.25, 0.5, 0.75, 0.95))
    m = f.index.to_numpy()
    ax.fill_between(m, f["p5"], f["p95"], alpha=0.2, color="C0",
                    label="P5–P95")
    ax.fill_between(m, f["p25"], f["p75"], alpha=0.4, color="C0",
                    label="P25–P75")
    ax.plot(m, f["p50"], color="C0", label="median")
    ax.axhline(0, color="k", linewidth=0.8)
    ax.set_xlabel("month")
    ax.set_ylabel("closing cash (%s)" % result.currency)
    ax.set_title(result.scenario.name)
    ax.legend(loc="best")
    return ax


def plot_tornado(result, metric="spend.total", n=10, ax=None):
    """The tornado of a Result's metric (see Result.plot_tornado)."""
    plt = _pyplot()
    s = result.sensitivity(metric=metric, swing=True)
    s = s.sort_values("swing", ascending=False).head(n).iloc[::-1]
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 0.45 * max(len(s), 1) + 1.5))
    if len(s) == 0:
        ax.set_title("%s: no uncertain inputs" % metric)
        return ax
    base = float(s["swing_base"].iloc[0])
    y = range(len(s))
    lo = s["swing_low"].to_numpy() - base
    hi = s["swing_high"].to_numpy() - base
    ax.barh(y, lo, left=base, color="C0", label="input at P10")
    ax.barh(y, hi, left=base, color="C3", label="input at P90")
    ax.axvline(base, color="k", linewidth=0.8)
    ax.set_yticks(list(y))
    ax.set_yticklabels(list(s["label"]))
    ax.set_xlabel("%s, P50" % metric)
    ax.set_title("what moves %s" % metric)
    ax.legend(loc="best")
    return ax
