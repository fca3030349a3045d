"""The EIE cycle-accurate C model (libeie) from Python and NumPy.

    import numpy as np, eie
    W = np.random.default_rng(1).normal(size=(256, 512))
    x = np.maximum(np.random.default_rng(2).normal(size=512), 0)
    r = eie.run_layer(W, x, pes=16, fifo_depth=8, density=0.1)
    r.cycles, r.y, r.y_fixed, r.stats["load_efficiency"]

Foreign calls go through ctypes, which releases the GIL while the model runs,
so runs in several threads proceed in parallel. Errors are exceptions (EieError
and subclasses) carrying the library's message.
"""

from ._lib import LIBRARY, cli_path
from .core import (EV_ACC, EV_BCAST, EV_WB, EVENT_DTYPE, Layer, Program, Result, compress,
                   default_config, example_paper, run_layer, version)
from .errors import BadInputError, EieError, IOError, MismatchError, TimeoutError
from .pack import Pack, PackRun, gen

__version__ = version()

__all__ = ["compress", "run_layer", "example_paper", "gen", "Pack", "PackRun", "Program", "Result",
           "Layer", "EVENT_DTYPE", "EV_BCAST", "EV_ACC", "EV_WB", "EieError", "BadInputError",
           "MismatchError", "TimeoutError", "IOError", "default_config", "version", "LIBRARY",
           "cli_path"]
