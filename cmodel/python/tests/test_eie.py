"""The Python package against the C model, the eie command and a NumPy reference."""
import ctypes
import os
import re
import subprocess
import threading
import time

import numpy as np
import pytest

import eie

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))


def numpy_reference(prog, x_fixed):
    """The fixed-point network in NumPy: 64-bit sums, the write-back's
    round-half-up shift, bias, 16-bit saturation, ReLU. Equal to the hardware
    whenever no accumulator saturates (the compression guarantees that on its input)."""
    a = np.asarray(x_fixed, np.int64)
    for l in prog.layers:
        acc = l.weights_fixed.astype(np.int64) @ a
        if l.shift:
            acc = (acc + (1 << (l.shift - 1))) >> l.shift
        if l.bias is not None:
            acc = acc + l.bias
        acc = np.clip(acc, -32768, 32767)
        if l.relu:
            acc = np.maximum(acc, 0)
        a = acc
    return a.astype(np.int16)


def random_layer(rng, m, k, act_density=0.35):
    W = rng.normal(size=(m, k))
    x = np.maximum(rng.normal(size=k), 0) * (rng.random(k) < act_density)
    return W, x


# ---- the library ------------------------------------------------------------------
def test_version_is_the_headers():
    txt = open(os.path.join(ROOT, "cmodel", "include", "eie", "eie_version.h")).read()
    v = [re.search(r"#define EIE_VERSION_%s (\d+)" % k, txt).group(1) for k in ("MAJOR", "MINOR", "PATCH")]
    assert eie.version() == ".".join(v) == eie.__version__


def test_shared_library_exports_only_the_public_api():
    lib = ctypes.CDLL(eie.LIBRARY)
    for public in ("eie_program_build", "eie_array_create", "eie_driver_run", "eie_quantize_network",
                   "eie_param_table", "eie_abi_sizeof"):
        assert hasattr(lib, public), public
    # Every symbol the library exports is declared in a public header (the
    # internals of cmodel/hw and cmodel/fast may be inlined away entirely, so
    # their absence alone would prove nothing).
    assert_exports_declared(eie.LIBRARY)


def exported_symbols(path):
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}


def assert_exports_declared(path, exported=None):
    include = os.path.join(ROOT, "cmodel", "include", "eie")
    headers = "".join(open(os.path.join(include, h)).read() for h in sorted(os.listdir(include)))
    names = exported_symbols(path) if exported is None else exported
    assert any(n.startswith("eie_") for n in names)
    for name in names:
        if re.fullmatch(r"EIE_\d+", name):  # the version node
            continue
        assert name.startswith("eie_") and re.search(r"\b%s\b" % name, headers), name


def test_export_check_catches_an_internal_symbol():
    exported = exported_symbols(eie.LIBRARY)
    with pytest.raises(AssertionError, match="eie_ccu_tick"):
        assert_exports_declared(eie.LIBRARY, exported | {"eie_ccu_tick"})


def test_default_config_is_the_papers():
    c = eie.default_config()
    assert c["NUM_PE"] == 64 and c["FIFO_DEPTH"] == 8 and c["RF_DEPTH"] == 64


# ---- the worked example ----------------------------------------------------------
def test_worked_example_cycles_and_outputs():
    prog = eie.example_paper()
    r = prog.run()
    # docs/microarchitecture.md §10: SETUP at cycle 0, write-back ends at cycle 22.
    assert r.cycles == 23
    assert np.array_equal(r.y_fixed, prog.reference())
    assert np.array_equal(r.y_fixed, numpy_reference(prog, prog.x_fixed))
    # PE0's slice is the paper's: z = 0 1 0 1 0 2 0 0 0 2 0 2 0, p = 0 3 4 6 6 8 10 11 13.
    pe0 = prog.pe(0)
    assert list(pe0["z"]) == [0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 0, 2, 0]
    assert list(pe0["ptr"][:9]) == [0, 3, 4, 6, 6, 8, 10, 11, 13]


def test_worked_example_equals_the_eie_command(tmp_path):
    out = subprocess.run([eie.cli_path(), "trace", "--example", "paper"], capture_output=True,
                         text=True, check=True).stdout
    last = max(int(m) for m in re.findall(r"^\|\s*(\d+)\s*\|", out, re.M))
    pack = eie.gen(example="paper", pes=4, out=str(tmp_path / "paper"))
    r = eie.example_paper().run(events=True)
    assert r.cycles == last + 1 == pack.stats["cycles"]
    assert np.array_equal(r.y_fixed, pack.expected)
    assert np.array_equal(prog_input := eie.example_paper().x_fixed, pack.input), prog_input
    for key, value in pack.stats.items():
        if key == "per_pe":
            for f in ("busy", "idle", "stalled"):
                assert list(r.stats["per_pe"][f]) == value[f], f
        elif key in r.stats:
            assert r.stats[key] == pytest.approx(value), key
    assert set(pack.stats) - {"numerics"} <= set(r.stats)
    assert pack.run().match


def test_events_are_a_structured_array():
    prog = eie.example_paper()
    r = prog.run(events=True)
    ev = r.events
    assert ev.dtype == eie.EVENT_DTYPE
    bc = ev[ev["kind"] == eie.EV_BCAST]
    assert list(zip(bc["index"], bc["value"])) == [(2, 256), (4, -512), (5, 768), (7, 1024)]
    assert list(bc["cycle"]) == [3, 4, 5, 6]
    assert (ev["kind"] == eie.EV_ACC).sum() == r.stats["macs"]
    wb = ev[ev["kind"] == eie.EV_WB]
    assert sorted(wb["index"]) == list(range(16))
    assert np.array_equal(wb["value"][np.argsort(wb["index"])], r.y_fixed)
    assert np.all(np.diff(ev["cycle"].astype(np.int64)) >= 0) and ev["cycle"].max() < r.cycles
    # PE2 writes row 14 twice in a row, the second through the bypass (§10).
    acc14 = ev[(ev["kind"] == eie.EV_ACC) & (ev["index"] == 14)]
    assert {(int(c), int(b)) for c, b in zip(acc14["cycle"], acc14["bypass"])} >= {(14, 0), (15, 1)}
    assert ev["bypass"].sum() == r.stats["bypasses"] == 1
    # Without events: same cycles and statistics.
    assert prog.run().cycles == r.cycles


# ---- random layers -------------------------------------------------------------
@pytest.mark.parametrize("seed,m,k,pes,fifo,density,bias,relu", [
    (1, 64, 96, 8, 8, 0.2, False, True),
    (2, 200, 130, 16, 2, 0.09, True, True),
    (3, 33, 257, 4, 1, 0.3, True, False),
    (4, 512, 300, 64, 8, 0.1, False, False),
    (5, 1, 40, 1, 4, None, True, True),
])
def test_random_layer_equals_numpy_reference(seed, m, k, pes, fifo, density, bias, relu):
    rng = np.random.default_rng(seed)
    W, x = random_layer(rng, m, k)
    if density is None:
        W[rng.random(W.shape) < 0.5] = 0
    b = rng.normal(size=m) if bias else None
    r = eie.run_layer(W, x, pes=pes, fifo_depth=fifo, density=density, relu=relu, bias=b)
    prog = r.program
    assert r.y_fixed.dtype == np.int16 and r.y_fixed.shape == (m,)
    assert r.stats["acc_saturations"] == 0 and r.stats["out_saturations"] == 0
    assert np.array_equal(r.y_fixed, numpy_reference(prog, prog.x_fixed))
    assert np.array_equal(r.y_fixed, prog.reference())
    assert np.array_equal(r.y, r.y_fixed / 2.0 ** prog.layers[0].out_frac)
    # Against float with the pruned, shared weights: what the numerics report says.
    l = prog.layers[0]
    Wshared = l.codebook_float[l.idx]
    yf = Wshared @ x + (b if b is not None else 0)
    if relu:
        yf = np.maximum(yf, 0)
    err = np.max(np.abs(r.y - yf))
    assert err < 1e-2 * max(1.0, np.max(np.abs(yf)))
    # Lower bound of §7: the cycle count cannot beat the busiest PE's work.
    assert r.stats["run_cycles"] >= r.stats["work_bound_cycles"]
    assert r.stats["macs"] == int(np.count_nonzero(l.idx[:, prog.x_fixed != 0]))


def test_network_equals_numpy_reference():
    rng = np.random.default_rng(7)
    Ws = [rng.normal(size=(120, 200)), rng.normal(size=(60, 120)), rng.normal(size=(10, 60))]
    x = np.maximum(rng.normal(size=200), 0)
    cal = np.maximum(rng.normal(size=(20, 200)), 0)
    prog = eie.compress(Ws, x, pes=16, density=[0.1, 0.2, 0.5], relu=[True, True, False],
                        bias=[rng.normal(size=120), None, rng.normal(size=10)], calibrate=cal)
    assert len(prog.layers) == 3 and prog.numerics["calib_inputs"] == 21
    r = prog.run()
    assert np.array_equal(r.y_fixed, numpy_reference(prog, prog.x_fixed))
    assert len(r.stats["layer_saturations"]) == 3
    # A new input, program unchanged.
    x2 = cal[3]
    r2 = prog.run(x=x2)
    assert np.array_equal(r2.y_fixed, numpy_reference(prog, prog.quantize_input(x2)))


def test_fifo_depth_rerun_equals_fresh_encoding():
    rng = np.random.default_rng(11)
    W, x = random_layer(rng, 256, 256)
    prog = eie.compress(W, x, pes=16, fifo_depth=8, density=0.1)
    deep = prog.run().cycles
    shallow = prog.run(fifo_depth=1)
    assert shallow.cycles >= deep
    assert shallow.cycles == eie.run_layer(W, x, pes=16, fifo_depth=1, density=0.1).cycles
    assert prog.config["FIFO_DEPTH"] == 1


def test_pack_generated_from_numpy_equals_the_binding(tmp_path):
    rng = np.random.default_rng(5)
    W, x = random_layer(rng, 100, 80)
    b = rng.normal(size=100)
    pack = eie.gen(W, x, bias=b, density=0.2, pes=8, fifo_depth=4, out=str(tmp_path / "p"))
    r = eie.run_layer(W, x, bias=b, density=0.2, pes=8, fifo_depth=4)
    assert np.array_equal(pack.input, r.program.x_fixed)
    assert np.array_equal(pack.expected, r.y_fixed)
    assert pack.stats["cycles"] == r.cycles
    assert pack.config["NUM_PE"] == 8
    run = eie.Pack.read(str(tmp_path / "p")).run()
    assert run.match and run.cycles == r.cycles


# ---- errors ---------------------------------------------------------------------
def test_bad_configuration_raises_with_the_library_message():
    with pytest.raises(eie.BadInputError, match="NUM_PE"):
        eie.example_paper(pes=0)
    with pytest.raises(ValueError, match="FIFO_DEPTH"):
        eie.example_paper(fifo_depth=1000)
    with pytest.raises(eie.BadInputError, match="NO_SUCH"):
        eie.compress(np.ones((4, 4)), np.ones(4), params={"NO_SUCH": 1})


def test_layer_too_big_for_the_memories_is_refused():
    rng = np.random.default_rng(3)
    W, x = random_layer(rng, 64, 100)
    with pytest.raises(eie.BadInputError, match="pointers per PE but PTR_DEPTH is 64") as e:
        eie.compress(W, x, pes=1, density=0.5, params={"PTR_DEPTH": 64})
    assert e.value.status == 3
    assert eie.compress(W, x, pes=1, density=0.5, params={"PTR_DEPTH": 64}, fit_memories=True)


def test_non_finite_weights_and_bad_shapes_are_refused():
    W = np.ones((4, 4))
    W[1, 2] = np.nan
    with pytest.raises(eie.BadInputError):
        eie.compress(W, np.ones(4))
    with pytest.raises(eie.BadInputError, match="shape"):
        eie.compress(np.ones((4, 5)), np.ones(4))
    with pytest.raises(eie.BadInputError, match="takes"):
        eie.compress([np.ones((4, 5)), np.ones((3, 3))], np.ones(5))


def test_cycle_budget_raises_timeout():
    with pytest.raises(eie.TimeoutError):
        eie.example_paper().run(max_cycles=5)


def test_pack_errors_carry_the_commands_message(tmp_path):
    with pytest.raises(eie.BadInputError, match="not a readable vector pack"):
        eie.Pack.read(str(tmp_path / "none"))
    pack = eie.gen(example="paper", pes=4, out=str(tmp_path / "p"))
    np.save(str(tmp_path / "p" / "expected.npy"), pack.expected + 1)
    with pytest.raises(eie.EieError, match="expected.npy"):
        pack.run()


# ---- the GIL -----------------------------------------------------------------------
def test_long_runs_release_the_gil():
    rng = np.random.default_rng(9)
    # Few distinct weights: compression is quick, the run long.
    W = rng.integers(-7, 8, size=(2048, 2048)).astype(np.float64)
    x = rng.random(2048)
    prog = eie.compress(W, x, pes=64, fit_memories=True)
    t0 = time.perf_counter()
    prog.run()
    alone = time.perf_counter() - t0
    # Enough runs in the worker to watch for at least half a second.
    reps = max(1, int(0.5 / max(alone, 1e-3)) + 1)

    def longest_stall():
        done = threading.Event()

        def worker():
            for _ in range(reps):
                prog.run()
            done.set()

        th = threading.Thread(target=worker)
        last = time.perf_counter()
        th.start()
        longest = 0.0
        while not done.is_set():
            now = time.perf_counter()
            longest = max(longest, now - last)
            last = now
        th.join()
        return longest

    # Holding the GIL, the worker would stop this loop for a whole run each
    # time; released, the loop only waits for the scheduler. A loaded machine
    # may stall the loop once: three tries.
    stalls = []
    for _ in range(3):
        stalls.append(longest_stall())
        if stalls[-1] < 0.5 * alone:
            break
    assert stalls[-1] < 0.5 * alone, (stalls, alone)
