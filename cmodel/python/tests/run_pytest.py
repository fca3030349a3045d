"""Run the package's tests with pytest; exit 77 (skipped) when the interpreter
has no numpy or pytest (Debian: python3-numpy, python3-pytest)."""
import sys

try:
    import numpy  # noqa: F401
    import pytest
except ImportError as e:
    print("python tests skipped: %s (install python3-numpy and python3-pytest)" % e)
    sys.exit(77)
sys.exit(pytest.main(sys.argv[1:]))
