"""Compressing float layers for EIE and running them on the cycle-accurate model."""

import ctypes as C

import numpy as np

from . import _lib
from ._lib import lib
from .errors import BadInputError

EV_BCAST, EV_ACC, EV_WB = 0, 1, 2
#: Events as a structured array: ``index`` is the column j of a broadcast and the
#: global output row i of an accumulator write (ACC) or write-back (WB);
#: ``value`` is a_j, the accumulated sum, or y; ``pe`` is 0 for broadcasts.
EVENT_DTYPE = np.dtype([("cycle", "<u8"), ("kind", "u1"), ("layer", "<u4"), ("pass", "<u4"),
                        ("pe", "<u4"), ("index", "<u4"), ("value", "<i4"), ("bypass", "u1")])

_NO_LIMIT = (1 << 62)


def _ptr(a, ctype):
    return a.ctypes.data_as(C.POINTER(ctype))


def _config(pes, fifo_depth, params):
    cfg = lib.eie_config_default()
    err = _lib.Err()
    items = [("NUM_PE", pes), ("FIFO_DEPTH", fifo_depth)] + list((params or {}).items())
    for name, value in items:
        if value is None:
            continue
        _lib.check(lib.eie_config_set(C.byref(cfg), str(name).encode(), int(value), C.byref(err)), err)
    return cfg


def _config_dict(cfg):
    return {name.upper(): int(getattr(cfg, name)) for name, _ in _lib.Config._fields_}


def _qerror(q):
    return {"max_abs": q.max_abs, "rel_l2": q.rel_l2, "sqnr_db": q.sqnr_db}


def _numerics_dict(rep):
    return {
        "calib_inputs": int(rep.calib_inputs), "headroom": int(rep.headroom),
        "vs_float": _qerror(rep.vs_float), "vs_shared": _qerror(rep.vs_shared),
        "layers": [{
            "forced": bool(l.forced), "dropped_w_bits": int(l.dropped_w_bits),
            "dropped_in_bits": int(l.dropped_in_bits), "acc_peak": int(l.acc_peak),
            "acc_limit": int(l.acc_limit), "in_clipped": int(l.in_clipped),
            "acc_saturations": int(l.sat.acc_saturations),
            "out_saturations": int(l.sat.out_saturations),
            "vs_float": _qerror(l.vs_float), "vs_shared": _qerror(l.vs_shared),
        } for l in rep.layer[:rep.layers]],
    }


class Layer:
    """One compressed layer as EIE stores it (copies, numpy arrays)."""

    def __init__(self, c):
        self.in_len, self.out_len = int(c.in_len), int(c.out_len)
        self.codebook = np.array(c.codebook[:], dtype=np.int16)
        self.in_frac, self.w_frac, self.out_frac = int(c.in_frac), int(c.w_frac), int(c.out_frac)
        self.shift, self.relu = int(c.shift), bool(c.relu)
        n = self.in_len * self.out_len
        self.idx = np.ctypeslib.as_array(c.idx, (n,)).reshape(self.out_len, self.in_len).copy()
        self.bias = (np.ctypeslib.as_array(c.bias, (self.out_len,)).copy() if c.bias else None)

    @property
    def codebook_float(self):
        """The shared weights as real numbers (codebook / 2^w_frac)."""
        return self.codebook.astype(np.float64) / 2.0 ** self.w_frac

    @property
    def weights_fixed(self):
        """The (out, in) matrix of fixed-point weights the hardware multiplies."""
        return self.codebook[self.idx]

    def __repr__(self):
        return ("eie.Layer(%dx%d, %d non-zeros, input Q%d, codebook Q%d, output Q%d, shift %d%s)" %
                (self.out_len, self.in_len, int(np.count_nonzero(self.idx)), self.in_frac,
                 self.w_frac, self.out_frac, self.shift, ", relu" if self.relu else ""))


class Result:
    """One run: outputs, cycles, statistics (the keys of stats.json) and, when asked, events."""

    def __init__(self, y_fixed, out_frac, cycles, stats, events):
        self.y_fixed = y_fixed
        self.y = y_fixed.astype(np.float64) / 2.0 ** out_frac
        self.cycles = cycles
        self.stats = stats
        self.events = events

    @property
    def load_efficiency(self):
        return self.stats["load_efficiency"]

    def __repr__(self):
        return "eie.Result(cycles=%d, outputs=%d, load_efficiency=%.3f)" % (
            self.cycles, len(self.y_fixed), self.load_efficiency)


class Program:
    """A network encoded for one configuration: the per-PE memory images, the
    layer descriptors and the quantized input. Build with :func:`compress` or
    :func:`example_paper`; run with :meth:`run`."""

    def __init__(self, cfg, c_layers, n, x_fixed, owns_layers, numerics=None):
        self._c_layers = c_layers
        self._owns_layers = owns_layers
        self._n = n
        self._prog = _lib.Program()
        self._built = False
        err = _lib.Err()
        _lib.check(lib.eie_program_build(C.byref(cfg), c_layers, n, C.byref(self._prog),
                                         C.byref(err)), err)
        self._built = True
        self.layers = [Layer(c_layers[i]) for i in range(n)]
        self.numerics = numerics
        self.x_fixed = np.ascontiguousarray(x_fixed, dtype=np.int16).copy()
        if self.x_fixed.shape != (self.layers[0].in_len,):
            raise BadInputError("input has shape %s, the first layer takes %d values" %
                                (self.x_fixed.shape, self.layers[0].in_len))
        lib.eie_program_set_input(C.byref(self._prog), _ptr(self.x_fixed, C.c_int16))

    def __del__(self, _free_prog=lib.eie_program_free, _free_layer=lib.eie_layer_free):
        # The library's functions are bound as defaults: module globals may be
        # gone when the interpreter shuts down.
        if getattr(self, "_built", False):
            _free_prog(C.byref(self._prog))
            self._built = False
        if getattr(self, "_owns_layers", False):
            for i in range(self._n):
                _free_layer(C.byref(self._c_layers[i]))
            self._owns_layers = False

    # ---- what the program holds -------------------------------------------------
    @property
    def config(self):
        """The configuration, by parameter name (NUM_PE, FIFO_DEPTH, ...)."""
        return _config_dict(self._prog.cfg)

    @property
    def param_hash(self):
        return int(lib.eie_param_hash(C.byref(self._prog.cfg)))

    @property
    def num_pe(self):
        return int(self._prog.cfg.num_pe)

    @property
    def entries(self):
        return int(self._prog.entries)

    @property
    def padding(self):
        return int(self._prog.padding)

    def pe(self, k):
        """PE k's memories as numpy arrays (copies): ``v`` and ``z`` of every
        sparse-matrix entry in use, the pointers in use and the activation words."""
        if not 0 <= k < self.num_pe:
            raise IndexError("PE %d of %d" % (k, self.num_pe))
        img = self._prog.pe[k]
        spmat = np.ctypeslib.as_array(img.spmat, (max(1, img.spmat_used),))[:img.spmat_used].copy()
        ptr = np.ctypeslib.as_array(img.ptr, (max(1, img.ptr_used),))[:img.ptr_used].copy()
        cfg = self._prog.cfg
        act = np.ctypeslib.as_array(img.act, (2 * cfg.rf_depth + cfg.act_sram_depth,)).copy()
        return {"v": spmat >> 4, "z": spmat & 0xF, "ptr": ptr, "act": act}

    @property
    def descriptors(self):
        names = [n for n, _ in _lib.Desc._fields_ if n != "codebook"]
        return [dict({n: int(getattr(d, n)) for n in names}, codebook=np.array(d.codebook[:], np.int16))
                for d in self._prog.desc[:self._prog.num_layers]]

    def quantize_input(self, x):
        """A float input vector in layer 0's input format (int16)."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        if x.shape != (self.layers[0].in_len,):
            raise BadInputError("input has shape %s, the first layer takes %d values" %
                                (x.shape, self.layers[0].in_len))
        out = np.empty(x.shape, np.int16)
        frac = C.c_int()
        lib.eie_quantize_vector(_ptr(x, C.c_double), len(x), self.layers[0].in_frac,
                                _ptr(out, C.c_int16), C.byref(frac))
        return out

    def reference(self, x_fixed=None):
        """The functional reference (no timing): the last layer's int16 outputs."""
        x = self.x_fixed if x_fixed is None else np.ascontiguousarray(x_fixed, np.int16)
        y = np.empty(self.layers[-1].out_len, np.int16)
        lib.eie_ref_network(self._c_layers, self._n, _ptr(x, C.c_int16), _ptr(y, C.c_int16))
        return y

    # ---- running ----------------------------------------------------------------
    def run(self, x=None, x_fixed=None, fifo_depth=None, events=False, max_cycles=None):
        """Load the program into a new cycle-accurate array through the host
        driver, run it and read the outputs. ``x`` (float) or ``x_fixed`` (int16)
        replaces the input; ``fifo_depth`` runs the same encoding with another
        activation-queue depth; ``events=True`` returns every broadcast,
        accumulator write and write-back as ``result.events`` (slower: the model
        then steps every PE every cycle; the cycles are the same)."""
        if x is not None:
            x_fixed = self.quantize_input(x)
        if x_fixed is not None:
            x_fixed = np.ascontiguousarray(x_fixed, dtype=np.int16)
            if x_fixed.shape != self.x_fixed.shape:
                raise BadInputError("input has shape %s, the first layer takes %d values" %
                                    (x_fixed.shape, self.layers[0].in_len))
            self.x_fixed = x_fixed.copy()
            lib.eie_program_set_input(C.byref(self._prog), _ptr(self.x_fixed, C.c_int16))
        err = _lib.Err()
        if fifo_depth is not None:
            cfg = _lib.Config.from_buffer_copy(self._prog.cfg)
            _lib.check(lib.eie_config_set(C.byref(cfg), b"FIFO_DEPTH", int(fifo_depth), C.byref(err)), err)
            self._prog.cfg = cfg  # the encoding does not depend on the queue depth
        array = C.c_void_p()
        _lib.check(lib.eie_array_create(C.byref(self._prog.cfg), C.byref(array), C.byref(err)), err)
        collected = []
        try:
            if events:
                def on_event(_user, ev):
                    e = ev.contents
                    collected.append((e.cycle, e.kind, e.layer, e.pass_, e.pe, e.index, e.value, e.bypass))
                cb = _lib.EVENT_CB(on_event)
                lib.eie_array_set_event_cb(array, cb, None)
            bus = lib.eie_model_bus(array)
            cycles = C.c_uint64()
            _lib.check(lib.eie_driver_load(C.byref(bus), C.byref(self._prog), C.byref(err)), err)
            limit = _NO_LIMIT if max_cycles is None else int(max_cycles)
            _lib.check(lib.eie_driver_run(C.byref(bus), limit, C.byref(cycles), C.byref(err)), err)
            y = np.empty(self.layers[-1].out_len, np.int16)
            _lib.check(lib.eie_driver_read_output(C.byref(bus), C.byref(self._prog),
                                                  _ptr(y, C.c_int16), C.byref(err)), err)
            stats = self._stats(lib.eie_array_stats(array))
        finally:
            lib.eie_array_destroy(array)
        ev = np.array(collected, dtype=EVENT_DTYPE) if events else None
        return Result(y, self.layers[-1].out_frac, int(cycles.value), stats, ev)

    def _stats(self, sp):
        """The statistics under the keys of stats.json (docs/formats.md)."""
        s = sp.contents
        bound = (int(lib.eie_program_work_bound(C.byref(self._prog), 0, _ptr(self.x_fixed, C.c_int16)))
                 if self._n == 1 else 0)
        d = {n: int(getattr(s, n)) for n in _lib._STAT_COUNTERS}
        d["work_bound_cycles"] = bound
        d["load_efficiency"] = float(lib.eie_stats_load_efficiency(sp))
        d["energy_pj"] = float(lib.eie_stats_energy_pj(sp))
        d["acc_saturations"] = int(s.sat.acc_saturations)
        d["out_saturations"] = int(s.sat.out_saturations)
        d["layer_saturations"] = [{"acc_saturations": int(l.acc_saturations),
                                   "out_saturations": int(l.out_saturations)}
                                  for l in s.layer_sat[:s.num_layers]]
        pe = [s.pe[k] for k in range(s.num_pe)]
        d["per_pe"] = {f: np.array([getattr(p, f) for p in pe], dtype=np.uint64)
                       for f in ("busy", "idle", "stalled")}
        return d

    def __repr__(self):
        return "eie.Program(%s, %d PEs, FIFO %d, %d entries (%d padding))" % (
            ", ".join("%dx%d" % (l.out_len, l.in_len) for l in self.layers), self.num_pe,
            self._prog.cfg.fifo_depth, self.entries, self.padding)


def _per_layer(value, n, name):
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise BadInputError("%s: %d values for %d layers" % (name, len(value), n))
        return list(value)
    return [value] * n


def compress(W, x, pes=64, fifo_depth=8, density=None, relu=True, bias=None, calibrate=None,
             headroom=1, in_frac=None, weight_frac=None, params=None, fit_memories=False):
    """Compress a float layer (``W`` of shape (out, in)) or network (a list of
    them, each layer reading the previous one's outputs) for EIE: prune to
    ``density`` (None keeps the given zeros), share weights (4-bit codebook),
    choose fixed-point formats that keep every accumulator and output from
    saturating on ``x`` and the ``calibrate`` inputs (shape (n, in)), and
    encode for ``pes`` PEs. ``params`` sets other parameters by name
    ({"PTR_DEPTH": 32768}); ``fit_memories`` raises PTR_DEPTH and ACT_SRAM_DEPTH
    to what the layers need. Returns a :class:`Program` with the quantized
    input placed; ``program.numerics`` is the compression's error report."""
    Ws = list(W) if isinstance(W, (list, tuple)) else [W]
    n = len(Ws)
    if not 1 <= n <= _lib.MAX_LAYERS:
        raise BadInputError("%d layers: 1..%d" % (n, _lib.MAX_LAYERS))
    ws = []
    for i, w in enumerate(Ws):
        w = np.array(w, dtype=np.float64, order="C", copy=True)  # pruned in place by the library
        if w.ndim != 2:
            raise BadInputError("layer %d: weights of shape %s, not (out, in)" % (i, w.shape))
        ws.append(w)
    widths = np.array([ws[0].shape[1]] + [w.shape[0] for w in ws], dtype=np.uint32)
    for i in range(1, n):
        if ws[i].shape[1] != ws[i - 1].shape[0]:
            raise BadInputError("layer %d takes %d inputs, layer %d gives %d outputs" %
                                (i, ws[i].shape[1], i - 1, ws[i - 1].shape[0]))
    biases = _per_layer(bias, n, "bias") if isinstance(bias, (list, tuple)) else [bias] + [None] * (n - 1)
    bs = []
    for i, b in enumerate(biases):
        if b is None:
            bs.append(None)
            continue
        b = np.array(b, dtype=np.float64, order="C", copy=True)
        if b.shape != (widths[i + 1],):
            raise BadInputError("layer %d: bias of shape %s, expected (%d,)" % (i, b.shape, widths[i + 1]))
        bs.append(b)
    dens = np.array([-1.0 if d is None else float(d) for d in _per_layer(density, n, "density")])
    relus = np.array([1 if r else 0 for r in _per_layer(relu, n, "relu")], dtype=np.intc)
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (widths[0],):
        raise BadInputError("input of shape %s, the first layer takes %d values" % (x.shape, widths[0]))
    X = x[None, :]
    if calibrate is not None:
        cal = np.asarray(calibrate, dtype=np.float64)
        if cal.ndim != 2 or cal.shape[1] != widths[0]:
            raise BadInputError("calibration inputs of shape %s, expected (n, %d)" % (cal.shape, widths[0]))
        X = np.concatenate([X, cal])
    X = np.ascontiguousarray(X)

    DP = C.POINTER(C.c_double)
    w_ptrs = (DP * n)(*[_ptr(w, C.c_double) for w in ws])
    b_ptrs = (DP * n)(*[_ptr(b, C.c_double) if b is not None else DP() for b in bs])
    net = _lib.FloatNet(n, _ptr(widths, C.c_uint32), w_ptrs, b_ptrs, _ptr(dens, C.c_double),
                        _ptr(relus, C.c_int))
    opts = _lib.NumericsOpts(int(headroom), -1 if in_frac is None else int(in_frac),
                             -1 if weight_frac is None else int(weight_frac))
    layers = (_lib.Layer * _lib.MAX_LAYERS)()
    xq = np.empty(widths[0], np.int16)
    rep = _lib.NumericsReport()
    err = _lib.Err()
    _lib.check(lib.eie_quantize_network(C.byref(net), _ptr(X, C.c_double), X.shape[0], C.byref(opts),
                                        layers, _ptr(xq, C.c_int16), C.byref(rep), C.byref(err)), err)
    try:
        cfg = _config(pes, fifo_depth, params)
        if fit_memories:
            for i in range(n):
                lib.eie_config_fit_memories(C.byref(cfg), C.byref(layers[i]))
    except BaseException:
        for i in range(n):
            lib.eie_layer_free(C.byref(layers[i]))
        raise
    prog = Program.__new__(Program)
    prog._owns_layers, prog._c_layers, prog._n = True, layers, n  # freed even if the build fails
    Program.__init__(prog, cfg, layers, n, xq, owns_layers=True, numerics=_numerics_dict(rep))
    return prog


def run_layer(W, x, pes=64, fifo_depth=8, events=False, max_cycles=None, **kw):
    """compress(W, x, ...) and run it: a :class:`Result` with ``y`` (float),
    ``y_fixed`` (int16), ``cycles``, ``stats`` and, with ``events=True``, ``events``."""
    prog = compress(W, x, pes=pes, fifo_depth=fifo_depth, **kw)
    res = prog.run(events=events, max_cycles=max_cycles)
    res.program = prog
    return res


def example_paper(pes=4, fifo_depth=8):
    """The paper's worked example (Fig. 2/3, docs/microarchitecture.md §10):
    the 16x8 layer and its input, encoded for ``pes`` PEs."""
    layers = (_lib.Layer * 1)()
    x = np.empty(8, np.int16)
    lib.eie_example_paper(layers, _ptr(x, C.c_int16))
    return Program(_config(pes, fifo_depth, None), layers, 1, x, owns_layers=False)


def default_config():
    """The default value of every runtime parameter, by name."""
    return _config_dict(lib.eie_config_default())


def version():
    """The version of the libeie actually loaded."""
    return lib.eie_version().decode()
