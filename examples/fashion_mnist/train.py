#!/usr/bin/python3
"""Train, prune and retrain a 784-300-100-10 MLP (LeNet-300-100 shape) on
Fashion-MNIST in float with NumPy, and write what `eie gen --network` and the
batch runner read:

  OUT/w{0,1,2}.npy, OUT/b{0,1,2}.npy   pruned float32 weights (out, in) and biases
  OUT/calib.npy                        the pack's run input (one training image)
  OUT/calib_set.npy                    calibration inputs for eie gen --calibrate (1000
                                       training images, float32 in 0..1)
  OUT/network.json                     the eie-network spec
  OUT/test_images.npy, test_labels.npy the test set (uint8; the runner scales by 1/255)
  OUT/train.json                       accuracies, densities, formats expected

Everything is deterministic for a given --seed (single-threaded BLAS).
"""
import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np

WIDTHS = (784, 300, 100, 10)


def load_idx(path, kind):
    with gzip.open(os.path.join(path, f"{kind}-labels-idx1-ubyte.gz"), "rb") as f:
        buf = f.read()
    if int.from_bytes(buf[:4], "big") != 2049:
        sys.exit(f"train.py: {kind} labels: not an IDX label file")
    labels = np.frombuffer(buf, dtype=np.uint8, offset=8)
    with gzip.open(os.path.join(path, f"{kind}-images-idx3-ubyte.gz"), "rb") as f:
        buf = f.read()
    if int.from_bytes(buf[:4], "big") != 2051:
        sys.exit(f"train.py: {kind} images: not an IDX image file")
    images = np.frombuffer(buf, dtype=np.uint8, offset=16).reshape(len(labels), 784)
    return images, labels


def forward(params, x):
    """Pre-activations of every layer (ReLU between layers, none after the last).
    Weights are held as (in, out) while training: x @ w is the fast layout."""
    pre, h = [], x
    for i, (w, b) in enumerate(params):
        z = h @ w + b
        pre.append(z)
        h = np.maximum(z, 0) if i + 1 < len(params) else z
    return pre


def accuracy(params, x, y, batch=2000):
    hits = 0
    for s in range(0, len(x), batch):
        hits += int((forward(params, x[s:s + batch])[-1].argmax(1) == y[s:s + batch]).sum())
    return hits / len(x)


def train(params, x, y, epochs, lr, rng, masks=None, tag="train", momentum=0.9, wd=1e-4, batch=128):
    vel = [(np.zeros_like(w), np.zeros_like(b)) for w, b in params]
    n = len(x)
    steps = epochs * math.ceil(n / batch)
    step = 0
    for ep in range(epochs):
        t0 = time.time()
        order = rng.permutation(n)
        loss_sum, hits = 0.0, 0
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            xb, yb = x[idx], y[idx]
            # Cosine learning-rate decay over all steps.
            cur_lr = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
            step += 1
            acts, h = [xb], xb
            for i, (w, b) in enumerate(params):
                z = h @ w + b
                h = np.maximum(z, 0) if i + 1 < len(params) else z
                acts.append(h)
            logits = acts[-1]
            logits = logits - logits.max(1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(1, keepdims=True)
            loss_sum += float(-np.log(p[np.arange(len(yb)), yb] + 1e-12).sum())
            hits += int((p.argmax(1) == yb).sum())
            g = p
            g[np.arange(len(yb)), yb] -= 1
            g /= len(yb)
            for i in reversed(range(len(params))):
                w, b = params[i]
                gw = acts[i].T @ g + wd * w
                gb = g.sum(0)
                if i > 0:
                    g = (g @ w.T) * (acts[i] > 0)
                vw, vb = vel[i]
                vw *= momentum
                vw -= cur_lr * gw
                vb *= momentum
                vb -= cur_lr * gb
                w += vw
                b += vb
                if masks is not None:
                    w *= masks[i]
                    vw *= masks[i]
        print(f"  {tag} epoch {ep + 1}/{epochs}: loss {loss_sum / n:.4f}, train accuracy "
              f"{100 * hits / n:.2f} %, {time.time() - t0:.1f} s", flush=True)


def prune_mask(w, density):
    """Keep the ceil(density * n) largest |w| (ties: lower flat index), as eie_prune does."""
    flat = np.abs(w).ravel()
    keep = math.ceil(density * flat.size - 1e-12 * density * flat.size)
    order = np.argsort(-flat, kind="stable")
    mask = np.zeros(flat.size, dtype=w.dtype)
    mask[order[:keep]] = 1
    return mask.reshape(w.shape)


def frac_bits_for(m):
    """Largest f in 0..15 with round(m * 2^f) <= 32767 (eie_frac_bits_for)."""
    for f in range(15, -1, -1):
        if math.floor(m * 2.0 ** f + 0.5) <= 32767:
            return f
    return 0


def pick_calibration(params, x_u8):
    """The image whose per-layer largest |pre-activation| gives the fewest
    fraction bits, so the formats chosen on it hold the whole set: eie gen picks
    each layer's output format from the one input it compresses on."""
    cand = np.flatnonzero(x_u8.max(1) == 255)  # input Q14, as for any image with a white pixel
    x = x_u8[cand].astype(np.float32) / 255.0
    peaks = [[] for _ in params]
    for s in range(0, len(x), 5000):
        for l, z in enumerate(forward(params, x[s:s + 5000])):
            peaks[l].append(np.abs(z).max(1))
    peaks = np.stack([np.concatenate(p) for p in peaks], 1).astype(np.float64)  # images x layers
    need = [frac_bits_for(m) for m in peaks.max(0)]
    fracs = np.array([[frac_bits_for(m) for m in row] for row in peaks])
    excess = (fracs - np.array(need)).sum(1)
    ratio = (peaks / peaks.max(0)).min(1)
    best = min(range(len(cand)), key=lambda i: (excess[i], -ratio[i], i))
    return int(cand[best]), need, [int(f) for f in fracs[best]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--retrain-epochs", type=int, default=8)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--retrain-lr", type=float, default=0.02)
    ap.add_argument("--densities", default="0.08,0.09,0.26")
    ap.add_argument("--prune-steps", type=int, default=1, help="iterative pruning in this many steps")
    ap.add_argument("--dense-cache", default="", help="load the dense network from this .npz, or save it there")
    ap.add_argument("--train-limit", type=int, default=0, help="use the first N training images (0: all)")
    ap.add_argument("--test-limit", type=int, default=0, help="write the first N test images (0: all)")
    a = ap.parse_args()
    t_start = time.time()
    dens = [float(d) for d in a.densities.split(",")]
    if len(dens) != 3 or not all(0 < d <= 1 for d in dens):
        sys.exit("train.py: --densities needs three values in (0, 1]")
    os.makedirs(a.out, exist_ok=True)

    xtr_u8, ytr = load_idx(a.data, "train")
    xte_u8, yte = load_idx(a.data, "t10k")
    if a.train_limit:
        xtr_u8, ytr = xtr_u8[:a.train_limit], ytr[:a.train_limit]
    if a.test_limit:
        xte_u8, yte = xte_u8[:a.test_limit], yte[:a.test_limit]
    xtr = xtr_u8.astype(np.float32) / 255.0
    xte = xte_u8.astype(np.float32) / 255.0
    ytr = ytr.astype(np.int64)
    yte = yte.astype(np.int64)
    print(f"fashion-mnist: {len(xtr)} training, {len(xte)} test images; MLP "
          f"{'-'.join(map(str, WIDTHS))}, seed {a.seed}", flush=True)

    rng = np.random.default_rng(a.seed)
    params = []
    for k, m in zip(WIDTHS[:-1], WIDTHS[1:]):
        params.append(((rng.standard_normal((k, m)) * math.sqrt(2.0 / k)).astype(np.float32),
                       np.zeros(m, dtype=np.float32)))

    if a.dense_cache and os.path.exists(a.dense_cache):
        z = np.load(a.dense_cache)
        params = [(z[f"w{l}"], z[f"b{l}"]) for l in range(len(params))]
        print(f"dense network: loaded from {a.dense_cache}", flush=True)
    else:
        print(f"dense training: {a.epochs} epochs, SGD momentum 0.9, minibatch 128, lr {a.lr} (cosine)",
              flush=True)
        train(params, xtr, ytr, a.epochs, a.lr, rng, tag="dense")
        if a.dense_cache:
            np.savez(a.dense_cache, **{f"{k}{l}": v for l, p in enumerate(params) for k, v in zip("wb", p)})
    acc_dense = accuracy(params, xte, yte)
    print(f"dense float test accuracy: {100 * acc_dense:.2f} %", flush=True)

    # Magnitude pruning in --prune-steps steps (densities d^(s/S)), retraining
    # with the mask after each; the epochs are shared out between the steps.
    rng = np.random.default_rng(a.seed + 1)
    steps = max(1, a.prune_steps)
    acc_pruned0 = None
    for s in range(1, steps + 1):
        step_dens = [d ** (s / steps) for d in dens]
        masks = [prune_mask(w.T, d).T for (w, _), d in zip(params, step_dens)]  # on (out, in), as eie gen sees it
        for (w, _), m in zip(params, masks):
            w *= m
        acc0 = accuracy(params, xte, yte)
        if acc_pruned0 is None:
            acc_pruned0 = acc0
        print(f"pruning step {s}/{steps}: {', '.join(f'{100 * d:.3g} %' for d in step_dens)} of the weights "
              f"kept, test accuracy {100 * acc0:.2f} % before retraining", flush=True)
        ep = a.retrain_epochs // steps + (a.retrain_epochs % steps if s == steps else 0)
        if ep:
            train(params, xtr, ytr, ep, a.retrain_lr, rng, masks=masks, tag="retrain")
    acc_pruned = accuracy(params, xte, yte)
    print(f"pruned float test accuracy: {100 * acc_pruned:.2f} %", flush=True)

    kept = [int(np.count_nonzero(w)) for w, _ in params]
    total = sum(w.size for w, _ in params)
    calib, need, got = pick_calibration(params, xtr_u8)
    print(f"calibration input: training image {calib} (output fraction bits {got}; "
          f"the training set needs {need})", flush=True)

    for l, (w, b) in enumerate(params):
        np.save(os.path.join(a.out, f"w{l}.npy"), np.ascontiguousarray(w.T))  # (out, in)
        np.save(os.path.join(a.out, f"b{l}.npy"), b)
    np.save(os.path.join(a.out, "calib.npy"), xtr_u8[calib].astype(np.float64) / 255.0)
    # The formats must hold these too: a spread of the training set, every 60th image.
    step = max(1, len(xtr_u8) // 1000)
    np.save(os.path.join(a.out, "calib_set.npy"), xtr_u8[::step][:1000].astype(np.float32) / 255.0)
    np.save(os.path.join(a.out, "test_images.npy"), np.ascontiguousarray(xte_u8))
    np.save(os.path.join(a.out, "test_labels.npy"), yte.astype(np.uint8))
    spec = {
        "schema": "eie-network",
        "schema_version": 1,
        "input": "calib.npy",
        "layers": [{"weights": f"w{l}.npy", "bias": f"b{l}.npy", "relu": l + 1 < len(params)}
                   for l in range(len(params))],
    }
    with open(os.path.join(a.out, "network.json"), "w") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
    with open(os.path.join(a.out, "train.json"), "w") as f:
        json.dump({
            "seed": a.seed, "epochs": a.epochs, "retrain_epochs": a.retrain_epochs,
            "prune_steps": steps,
            "train_images": len(xtr), "test_images": len(xte),
            "densities": dens, "kept": kept, "total_weights": total,
            "density_total": sum(kept) / total,
            "acc_dense": acc_dense, "acc_pruned_before_retrain": acc_pruned0, "acc_pruned": acc_pruned,
            "calibration_image": calib, "calibration_out_frac": got, "needed_out_frac": need,
            "seconds": time.time() - t_start,
        }, f, indent=2)
        f.write("\n")
    print(f"wrote {a.out} ({time.time() - t_start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
