#!/usr/bin/python3
"""Results table of the Fashion-MNIST flow (run.sh): train.json (train.py),
batch.json (eie_batch) and the wall time in seconds. Markdown on stdout."""
import json
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: report.py train.json batch.json SECONDS")
    with open(sys.argv[1]) as f:
        t = json.load(f)
    with open(sys.argv[2]) as f:
        b = json.load(f)
    wall = int(sys.argv[3])
    n = b["images"]
    dens = ", ".join(f"{100 * d:g} %" for d in t["densities"])
    rows = [
        ("float, dense", t["acc_dense"]),
        (f"float, pruned to {dens} ({100 * t['density_total']:.1f} % overall), retrained", t["acc_pruned"]),
        ("pruned + 4-bit weight sharing (codebooks of the pack), float activations",
         b["acc_weight_shared_float"]),
        ("EIE, 16-bit fixed point: the C model (64 PEs, FIFO 8)", b["acc_fixed"]),
    ]
    w = max(len(r[0]) for r in rows)
    head = f"accuracy ({n} test images)"
    print(f"| {'network (784-300-100-10 MLP, Fashion-MNIST)':<{w}} | {head} |")
    print(f"|{'-' * (w + 2)}|{'-' * (len(head) + 2)}|")
    for name, acc in rows:
        print(f"| {name:<{w}} | {100 * acc:>{len(head) - 2}.2f} % |")
    diff = round(100 * (b["acc_fixed"] - t["acc_dense"]), 2)
    print()
    ok = diff >= -1.0
    print(f"EIE fixed point vs float dense: {diff:+.2f} percentage points "
          f"({'within' if ok else 'NOT within'} the 1-point target)")
    fm = "; ".join(f"layer {l}: input Q{f['in_frac']}, codebook Q{f['w_frac']}, output Q{f['out_frac']}"
                   for l, f in enumerate(b["formats"]))
    print(f"formats: {fm}")
    print(f"weights kept: {' + '.join(str(k) for k in t['kept'])} = {sum(t['kept'])} of "
          f"{t['total_weights']}; the pack holds {b['weights']} non-zero weights (4-bit indices)")
    us = b["cycles_mean"] / 800.0
    print(f"cycles per image: mean {b['cycles_mean']:.1f} (min {b['cycles_min']}, max {b['cycles_max']}), "
          f"{us:.2f} us at 800 MHz; C model {b['model_seconds']:.1f} s for {n} images")
    print(f"C model vs functional reference: {b['ref_mismatches']} of {n} images differ")
    print(f"saturations over the {n} images: {b['acc_saturations']} accumulator, {b['out_saturations']} output "
          f"(formats calibrated on 1000 training images)")
    if b["rtl_images"]:
        bad = max(b["rtl_output_mismatches"], b["rtl_cycle_mismatches"], b["rtl_event_mismatches"])
        verdict = "bit for bit identical" if bad == 0 else "DIFFERENT"
        print(f"Verilated RTL ({b['rtl_variant']}) vs C model, first {b['rtl_images']} images: {verdict} "
              f"(outputs differ on {b['rtl_output_mismatches']}, cycle counts on {b['rtl_cycle_mismatches']}, "
              f"event streams on {b['rtl_event_mismatches']}; {b['rtl_events']} events; "
              f"{b['rtl_seconds']:.1f} s)")
    print(f"training: {t['train_images']} images, {t['epochs']} + {t['retrain_epochs']} epochs, "
          f"seed {t['seed']}, calibration input: training image {t['calibration_image']}")
    print(f"wall time: {wall // 60} min {wall % 60} s")


if __name__ == "__main__":
    main()
