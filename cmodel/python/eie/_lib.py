"""ctypes view of libeie: finding the shared library, mirrors of the public
structures (checked against the library's own sizes when it loads) and the
signatures of the functions the package calls. Foreign calls release the GIL."""

import ctypes as C
import os
import shutil

from . import errors

MAX_LAYERS = 16  # EIE_MAX_LAYERS (eie_params.def)
ERR_LEN = 512    # EIE_ERR_LEN (eie_status.h)

_HERE = os.path.dirname(os.path.abspath(__file__))
# In the source tree: cmodel/python/eie -> the repository's default build folder.
_TREE_BUILD = os.path.normpath(os.path.join(_HERE, "..", "..", "..", "build"))


def _installed(kind):
    try:
        from . import _install  # written by cmake --install
    except ImportError:
        return None
    rel = getattr(_install, kind, None)
    return os.path.normpath(os.path.join(_HERE, rel)) if rel else None


def library_path():
    """Where libeie is loaded from: $EIE_LIBRARY, the installed library next to
    this package, the source tree's build/lib, or the loader's search path."""
    tried = []
    env = os.environ.get("EIE_LIBRARY")
    if env:
        return env
    for cand in (_installed("LIBRARY"), os.path.join(_TREE_BUILD, "lib", "libeie.so")):
        if cand:
            tried.append(cand)
            if os.path.exists(cand):
                return cand
    import ctypes.util
    found = ctypes.util.find_library("eie")
    if found:
        return found
    raise ImportError("eie: libeie not found (tried %s and the loader's path); build it "
                      "(cmake --build build) or set EIE_LIBRARY" % ", ".join(tried))


def cli_path():
    """The eie command: $EIE_CLI, the installed one, build/bin/eie, or PATH."""
    env = os.environ.get("EIE_CLI")
    if env:
        return env
    for cand in (_installed("CLI"), os.path.join(_TREE_BUILD, "bin", "eie")):
        if cand and os.access(cand, os.X_OK):
            return cand
    found = shutil.which("eie")
    if found:
        return found
    raise errors.EieError("the eie command was not found (build with EIE_WITH_CLI=ON or set EIE_CLI)",
                          errors.STATUS_IO)


# ---- Mirrors of the public structures -----------------------------------------
u8, u16, u32, u64 = C.c_uint8, C.c_uint16, C.c_uint32, C.c_uint64
i16, i32, i64 = C.c_int16, C.c_int32, C.c_int64


class Err(C.Structure):
    _fields_ = [("msg", C.c_char * ERR_LEN)]


class Config(C.Structure):
    _fields_ = [("num_pe", u32), ("fifo_depth", u32), ("spmat_lines", u32),
                ("ptr_depth", u32), ("rf_depth", u32), ("act_sram_depth", u32)]


class Layer(C.Structure):
    _fields_ = [("in_len", u32), ("out_len", u32), ("codebook", i16 * 16),
                ("idx", C.POINTER(u8)), ("bias", C.POINTER(i16)),
                ("in_frac", C.c_int), ("w_frac", C.c_int), ("out_frac", C.c_int),
                ("shift", C.c_uint), ("relu", C.c_int)]


class Desc(C.Structure):
    _fields_ = [("in_len", u32), ("out_len", u32), ("ptr_base", u32), ("spmat_base", u32),
                ("in_base", u32), ("out_base", u32), ("bias_base", u32), ("flags", u32),
                ("codebook", i16 * 16)]


class PeImage(C.Structure):
    _fields_ = [("spmat", C.POINTER(u8)), ("ptr", C.POINTER(u16)), ("act", C.POINTER(i16)),
                ("spmat_used", u32), ("ptr_used", u32)]


class Program(C.Structure):
    _fields_ = [("cfg", Config), ("num_layers", u32), ("desc", Desc * MAX_LAYERS),
                ("pe", C.POINTER(PeImage)), ("entries", u64), ("padding", u64)]


class Event(C.Structure):
    _fields_ = [("kind", C.c_int), ("cycle", u64), ("layer", u32), ("pass_", u32),
                ("pe", u32), ("index", u32), ("value", i32), ("bypass", C.c_int)]


class PeStats(C.Structure):
    _fields_ = [("busy", u64), ("idle", u64), ("stalled", u64)]


class SatStats(C.Structure):
    _fields_ = [("acc_saturations", u64), ("out_saturations", u64)]


_STAT_COUNTERS = ("cycles", "run_cycles", "stall_cycles", "broadcasts", "macs", "padding",
                  "entries", "spmat_reads", "ptr_reads", "act_reads", "act_writes", "bypasses")


class Stats(C.Structure):
    _fields_ = [(n, u64) for n in _STAT_COUNTERS] + [
        ("sat", SatStats), ("layer_sat", SatStats * MAX_LAYERS), ("num_layers", u32),
        ("num_pe", u32), ("pe", C.POINTER(PeStats))]


BUS_WRITE = C.CFUNCTYPE(C.c_int, C.c_void_p, u32, u32)
BUS_READ = C.CFUNCTYPE(C.c_int, C.c_void_p, u32, C.POINTER(u32))
BUS_WAIT = C.CFUNCTYPE(C.c_int, C.c_void_p, u64)


class Bus(C.Structure):
    _fields_ = [("ctx", C.c_void_p), ("write", BUS_WRITE), ("read", BUS_READ), ("wait_done", BUS_WAIT)]


class FloatNet(C.Structure):
    _fields_ = [("layers", C.c_uint), ("widths", C.POINTER(u32)),
                ("w", C.POINTER(C.POINTER(C.c_double))), ("bias", C.POINTER(C.POINTER(C.c_double))),
                ("density", C.POINTER(C.c_double)), ("relu", C.POINTER(C.c_int))]


class NumericsOpts(C.Structure):
    _fields_ = [("headroom", C.c_uint), ("in_frac", C.c_int), ("weight_frac", C.c_int)]


class QError(C.Structure):
    _fields_ = [("max_abs", C.c_double), ("rel_l2", C.c_double), ("sqnr_db", C.c_double)]


class LayerNumerics(C.Structure):
    _fields_ = [("forced", C.c_int), ("dropped_w_bits", C.c_uint), ("dropped_in_bits", C.c_uint),
                ("acc_peak", i64), ("acc_limit", i64), ("in_clipped", u64), ("sat", SatStats),
                ("vs_float", QError), ("vs_shared", QError)]


class NumericsReport(C.Structure):
    _fields_ = [("calib_inputs", u32), ("headroom", C.c_uint), ("layers", C.c_uint),
                ("layer", LayerNumerics * MAX_LAYERS), ("vs_float", QError), ("vs_shared", QError)]


_MIRRORS = {"eie_err_t": Err, "eie_config_t": Config, "eie_layer_t": Layer, "eie_desc_t": Desc,
            "eie_pe_image_t": PeImage, "eie_program_t": Program, "eie_event_t": Event,
            "eie_pe_stats_t": PeStats, "eie_sat_stats_t": SatStats, "eie_stats_t": Stats,
            "eie_bus_t": Bus, "eie_float_net_t": FloatNet, "eie_numerics_opts_t": NumericsOpts,
            "eie_qerror_t": QError, "eie_layer_numerics_t": LayerNumerics,
            "eie_numerics_report_t": NumericsReport}

EVENT_CB = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(Event))

P = C.POINTER
_SIGNATURES = {
    # name: (restype, argtypes)
    "eie_version": (C.c_char_p, []),
    "eie_version_number": (C.c_uint, []),
    "eie_abi_sizeof": (C.c_size_t, [C.c_char_p]),
    "eie_config_default": (Config, []),
    "eie_config_set": (C.c_int, [P(Config), C.c_char_p, C.c_long, P(Err)]),
    "eie_config_validate": (C.c_int, [P(Config), P(Err)]),
    "eie_param_hash": (u32, [P(Config)]),
    "eie_config_fit_memories": (None, [P(Config), P(Layer)]),
    "eie_quantize_network": (C.c_int, [P(FloatNet), P(C.c_double), u32, P(NumericsOpts), P(Layer),
                                       P(i16), P(NumericsReport), P(Err)]),
    "eie_quantize_vector": (None, [P(C.c_double), u32, C.c_int, P(i16), P(C.c_int)]),
    "eie_layer_free": (None, [P(Layer)]),
    "eie_example_paper": (None, [P(Layer), P(i16)]),
    "eie_program_build": (C.c_int, [P(Config), P(Layer), C.c_uint, P(Program), P(Err)]),
    "eie_program_free": (None, [P(Program)]),
    "eie_program_set_input": (None, [P(Program), P(i16)]),
    "eie_program_work_bound": (u64, [P(Program), C.c_uint, P(i16)]),
    "eie_array_create": (C.c_int, [P(Config), P(C.c_void_p), P(Err)]),
    "eie_array_destroy": (None, [C.c_void_p]),
    "eie_array_set_event_cb": (None, [C.c_void_p, EVENT_CB, C.c_void_p]),
    "eie_array_stats": (P(Stats), [C.c_void_p]),
    "eie_stats_load_efficiency": (C.c_double, [P(Stats)]),
    "eie_stats_energy_pj": (C.c_double, [P(Stats)]),
    "eie_model_bus": (Bus, [C.c_void_p]),
    "eie_driver_load": (C.c_int, [P(Bus), P(Program), P(Err)]),
    "eie_driver_run": (C.c_int, [P(Bus), u64, P(u64), P(Err)]),
    "eie_driver_read_output": (C.c_int, [P(Bus), P(Program), P(i16), P(Err)]),
    "eie_ref_network": (None, [P(Layer), C.c_uint, P(i16), P(i16)]),
}


def _load():
    path = library_path()
    try:
        lib = C.CDLL(path)
    except OSError as e:
        raise ImportError("eie: cannot load %s: %s" % (path, e)) from e
    for name, (res, args) in _SIGNATURES.items():
        try:
            f = getattr(lib, name)
        except AttributeError as e:
            raise ImportError("eie: %s does not export %s" % (path, name)) from e
        f.restype = res
        f.argtypes = args
    for cname, mirror in _MIRRORS.items():
        size = lib.eie_abi_sizeof(cname.encode())
        if size != C.sizeof(mirror):
            raise ImportError("eie: %s: sizeof(%s) is %d in the library, %d in the Python "
                              "binding: library and package do not match" %
                              (path, cname, size, C.sizeof(mirror)))
    return lib, path


lib, LIBRARY = _load()


def check(status, err):
    """Raise the exception for a failed status, with the library's message."""
    if status != 0:
        raise errors.from_status(status, err.msg.decode("utf-8", "replace"))
