"""The docking stage's report figure: best energy per ligand × receptor, one panel per engine.

PNG and SVG byte-identical across reruns; a pair without a result is hatched and labelled with
the reason ("failed", "not run", "no job"), never drawn as 0.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: the report is built on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from netpharm.figures import save_figure  # noqa: E402

__all__ = ["energy_grid", "rank_ligands", "draw_energy_heatmap", "write_energy_heatmap"]

#: Ligands the heatmap shows at most (the best by energy); every ligand stays in the report's table.
HEATMAP_LIGANDS = 30


def rank_ligands(results: pd.DataFrame, limit: int = HEATMAP_LIGANDS) -> tuple[pd.DataFrame, int]:
    """``results``' docking rows for its ``limit`` best ligands (lowest best energy over every receptor and
    engine first; a ligand without a result last, by name), in that order; and how many ligands there are."""
    rows = results[results["kind"] == "system"] if "kind" in results.columns else results
    energy = pd.to_numeric(rows["best_energy"], errors="coerce").where(rows["status"].astype(str) == "ok")
    best = energy.groupby(rows["ligand"].astype(str)).min()
    order = sorted(best.index, key=lambda lig: (pd.isna(best[lig]), best[lig] if not pd.isna(best[lig]) else 0.0,
                                               lig))
    kept = order[:limit]
    ranked = rows[rows["ligand"].astype(str).isin(kept)].copy()
    ranked["_rank"] = ranked["ligand"].astype(str).map({lig: i for i, lig in enumerate(kept)})
    return ranked.sort_values("_rank", kind="stable").drop(columns="_rank"), len(order)


def energy_grid(results: pd.DataFrame, engine: str) -> tuple[list[str], list[str], np.ndarray, list[list[str]]]:
    """(ligands, receptors, energies with NaN where missing, cell notes) of one engine's docking jobs.

    ``results`` is ``docking/results.tsv`` (ligand, system, kind, engine, status, best_energy…);
    redocking rows are left out. A pair without an ``ok`` row is NaN with the reason as its note
    ("failed", "not run", or "no job" when the run has no row for it) — never 0.
    """
    rows = results[(results.get("kind", "system") == "system") & (results["engine"] == engine)]
    ligands = list(dict.fromkeys(results.loc[results.get("kind", "system") == "system", "ligand"].astype(str)))
    systems = list(dict.fromkeys(results.loc[results.get("kind", "system") == "system", "system"].astype(str)))
    grid = np.full((len(ligands), len(systems)), np.nan)
    notes = [["no job"] * len(systems) for _ in ligands]
    for r in rows.itertuples(index=False):
        i, j = ligands.index(str(r.ligand)), systems.index(str(r.system))
        energy = pd.to_numeric(pd.Series([r.best_energy]), errors="coerce").iloc[0]
        if str(r.status) == "ok" and not pd.isna(energy):
            grid[i, j], notes[i][j] = float(energy), f"{float(energy):.2f}"
        else:
            notes[i][j] = str(r.status).replace("_", " ")
    return ligands, systems, grid, notes


def draw_energy_heatmap(results: pd.DataFrame) -> plt.Figure:
    """Best energy per ligand × receptor, one panel per engine; missing jobs hatched and labelled."""
    from matplotlib.patches import Rectangle

    engines = list(dict.fromkeys(results["engine"].astype(str)))
    grids = [energy_grid(results, e) for e in engines]
    ligands, systems = grids[0][0], grids[0][1]
    values = np.concatenate([g[2].ravel() for g in grids])
    finite = values[np.isfinite(values)]
    vmin, vmax = (float(finite.min()), float(finite.max())) if len(finite) else (-10.0, 0.0)
    if vmin == vmax:
        vmin, vmax = vmin - 0.5, vmax + 0.5
    row_height, font = (0.55, 8.0) if len(ligands) <= 12 else (0.3, 7.0)  # many ligands: denser rows
    fig, axes = plt.subplots(1, len(engines), figsize=(2.6 + 1.2 * len(systems) * len(engines),
                                                        1.8 + row_height * len(ligands)), dpi=120, squeeze=False,
                             layout="constrained")
    cmap = matplotlib.colormaps["viridis"].copy()
    image = None
    for ax, engine, (_, _, grid, notes) in zip(axes[0], engines, grids):
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        for i in range(len(ligands)):
            for j in range(len(systems)):
                if np.isnan(grid[i, j]):
                    ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#eeeeee", edgecolor="#999999",
                                           hatch="//", lw=0.5))
                    ax.text(j, i, notes[i][j], ha="center", va="center", fontsize=font - 0.5, color="#444444",
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})
                else:
                    dark = (grid[i, j] - vmin) / (vmax - vmin) < 0.5
                    ax.text(j, i, notes[i][j], ha="center", va="center", fontsize=font,
                            color="white" if dark else "black")
        ax.set_xticks(range(len(systems)), systems, rotation=30, ha="right", fontsize=8)
        ax.set_yticks(range(len(ligands)), ligands, fontsize=font)
        ax.set_title(engine, fontsize=9)
    if image is not None:
        fig.colorbar(image, ax=list(axes[0]), label="kcal/mol (lower = stronger)", shrink=0.9)
    fig.suptitle("Best docking energy, ligands × receptors (hatched: no result)", fontsize=9)
    return fig


def write_energy_heatmap(results: pd.DataFrame, out_dir: Path) -> list[Path]:
    """Write ``energy_heatmap.png`` and ``.svg`` into ``out_dir``; returns both paths."""
    fig = draw_energy_heatmap(results)
    try:
        return save_figure(fig, Path(out_dir) / "energy_heatmap")
    finally:
        plt.close(fig)
