"""Vector packs (docs/formats.md): written by ``eie gen``, replayed by ``eie run``.
The pack files are read here with numpy; generating and replaying go through
the eie command (it links the pack reader and writer: JSON, SHA-256)."""

import json
import os
import subprocess
import tempfile

import numpy as np

from . import _lib, errors


def _eie(args):
    """Run the eie command; its exit code becomes the matching exception."""
    proc = subprocess.run([_lib.cli_path()] + [str(a) for a in args], capture_output=True, text=True)
    if proc.returncode != 0:
        msg = (proc.stderr.strip() or proc.stdout.strip()).replace("eie: ", "", 1)
        raise errors.from_status(proc.returncode if proc.returncode in (1, 2, 3) else errors.STATUS_IO,
                                 msg)
    return proc.stdout


class PackRun:
    """One replay of a pack: ``match``, ``cycles``, ``engine``, ``stats`` (the JSON of eie run --json)."""

    def __init__(self, d):
        self.stats = d
        self.cycles = int(d["cycles"])
        self.match = bool(d["match"])
        self.engine = d["engine"]

    def __repr__(self):
        return "eie.PackRun(%s, cycles=%d, %s)" % (self.engine, self.cycles,
                                                   "match" if self.match else "MISMATCH")


class Pack:
    """A vector pack on disk: ``manifest``, ``stats`` (stats.json), ``input`` and
    ``expected`` (int16), ``layer_inputs`` / ``layer_expected`` per layer, ``codebook``."""

    def __init__(self, path):
        self.path = os.path.abspath(path)

    @classmethod
    def read(cls, path):
        p = cls(path)
        try:
            with open(os.path.join(p.path, "manifest.json")) as f:
                p.manifest = json.load(f)
            with open(os.path.join(p.path, p.manifest.get("stats", "stats.json"))) as f:
                p.stats = json.load(f)
            p.input = np.load(os.path.join(p.path, p.manifest["input"]))
            p.expected = np.load(os.path.join(p.path, p.manifest["expected"]))
            p.codebook = np.load(os.path.join(p.path, p.manifest["codebook"]))
        except (OSError, KeyError, ValueError) as e:
            raise errors.BadInputError("%s: not a readable vector pack: %s" % (path, e),
                                       errors.STATUS_BAD_INPUT) from e
        n = len(p.manifest.get("layers", []))
        p.layer_inputs = [p.input] + [np.load(os.path.join(p.path, "layer%d_input.npy" % l))
                                      for l in range(1, n)]
        p.layer_expected = [np.load(os.path.join(p.path, "layer%d_expected.npy" % l)) for l in range(n)]
        return p

    @property
    def config(self):
        return dict(self.manifest.get("config", {}))

    @property
    def layers(self):
        return list(self.manifest.get("layers", []))

    def run(self, engine="cmodel", max_cycles=None):
        """Replay with ``eie run`` (outputs and event streams checked against the
        pack); raises MismatchError on a difference."""
        args = ["run", self.path, "--json", "--engine", engine]
        if max_cycles is not None:
            args += ["--max-cycles", int(max_cycles)]
        return PackRun(json.loads(_eie(args)))

    def __repr__(self):
        return "eie.Pack(%r, %d layer(s), %s PEs)" % (self.path, len(self.layers),
                                                      self.config.get("NUM_PE"))


def gen(W=None, x=None, out=None, bias=None, density=None, pes=64, fifo_depth=8, relu=True,
        random=None, act_density=None, seed=None, example=None, calibrate=None, args=()):
    """Write a vector pack with ``eie gen`` and read it back: from float weights
    ``W`` (out, in) and input ``x``, or ``random=(M, K)``, or ``example="paper"``.
    ``args`` passes further eie gen options (["--param", "PTR_DEPTH=32768"])."""
    if out is None:
        raise errors.BadInputError("gen: give out=DIR", errors.STATUS_BAD_INPUT)
    cmd = ["gen", "-o", out, "--pes", pes, "--fifo-depth", fifo_depth, "--quiet"]
    if example is None:  # the worked example fixes its own ReLU
        cmd.append("--relu" if relu else "--no-relu")
    if density is not None:
        cmd += ["--density", repr(float(density))]
    if act_density is not None:
        cmd += ["--act-density", repr(float(act_density))]
    if seed is not None:
        cmd += ["--seed", int(seed)]
    with tempfile.TemporaryDirectory(prefix="eie-gen-") as tmp:
        if example is not None:
            cmd += ["--example", example]
        elif random is not None:
            cmd += ["--random", "%dx%d" % tuple(random)]
        else:
            if W is None or x is None:
                raise errors.BadInputError("gen: give W and x, random=(M, K) or example='paper'",
                                           errors.STATUS_BAD_INPUT)
            files = {"--weights": np.asarray(W, np.float64), "--input": np.asarray(x, np.float64)}
            if bias is not None:
                files["--bias"] = np.asarray(bias, np.float64)
            if calibrate is not None:
                files["--calibrate"] = np.asarray(calibrate, np.float64)
            for opt, a in files.items():
                f = os.path.join(tmp, opt.strip("-") + ".npy")
                np.save(f, np.ascontiguousarray(a))
                cmd += [opt, f]
        _eie(cmd + list(args))
    return Pack.read(out)
