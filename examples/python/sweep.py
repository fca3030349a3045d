#!/usr/bin/python3
"""PE count x FIFO depth on one pruned layer: load efficiency and speedup, to a PNG.

    PYTHONPATH=cmodel/python /usr/bin/python3 examples/python/sweep.py -o sweep.png

Each PE count is encoded once; the FIFO depths re-run the same encoding.
Speedup is against the first PE count at the same FIFO depth."""
import argparse

import matplotlib
import numpy as np

import eie

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend)

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("-o", "--out", default="sweep.png")
ap.add_argument("--size", type=int, default=768, help="the layer is SIZE x SIZE (default 768)")
ap.add_argument("--density", type=float, default=0.09, help="weights kept (default 0.09)")
ap.add_argument("--act-density", type=float, default=0.35, help="non-zero inputs (default 0.35)")
ap.add_argument("--pes", default="1,2,4,8,16,32,64")
ap.add_argument("--fifo-depth", default="1,2,4,8,16")
a = ap.parse_args()
pes = [int(v) for v in a.pes.split(",")]
fifos = [int(v) for v in a.fifo_depth.split(",")]

rng = np.random.default_rng(1)
W = rng.normal(size=(a.size, a.size))
x = np.maximum(rng.normal(size=a.size), 0) * (rng.random(a.size) < a.act_density)

cycles = np.zeros((len(fifos), len(pes)))
eff = np.zeros_like(cycles)
for j, n in enumerate(pes):
    prog = eie.compress(W, x, pes=n, density=a.density, fit_memories=True)
    for i, d in enumerate(fifos):
        r = prog.run(fifo_depth=d)
        cycles[i, j], eff[i, j] = r.cycles, r.load_efficiency
        print("PEs %3d  FIFO %3d  cycles %8d  load efficiency %.3f" % (n, d, r.cycles, r.load_efficiency))
speedup = cycles[:, :1] / cycles

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
for i, d in enumerate(fifos):
    ax1.plot(pes, eff[i], "o-", label="FIFO %d" % d)
    ax2.plot(pes, speedup[i], "o-", label="FIFO %d" % d)
ax2.plot(pes, np.array(pes) / pes[0], "k--", label="ideal")
for ax, title in ((ax1, "load efficiency"), (ax2, "speedup over %d PE%s" % (pes[0], "s"[:pes[0] > 1]))):
    ax.set_xscale("log", base=2)
    ax.set_xlabel("PEs")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
ax1.set_ylim(0, 1.05)
ax2.set_yscale("log", base=2)
fig.suptitle("EIE model: %dx%d layer, %.0f %% weights, %.0f %% non-zero inputs" %
             (a.size, a.size, 100 * a.density, 100 * a.act_density))
fig.tight_layout()
fig.savefig(a.out, dpi=100)
print("wrote", a.out)
