"""Runs a lesson's own demo: ``python lectern_lesson_demo.py SCRIPT --params JSON``.

lectern writes this file beside ``lectern_protocol.py`` and starts a lesson's demo through it,
under the same supervisor as its own CPython demos. The script runs as ``__main__``, as if it
had been started directly (its own folder first on ``sys.path``), and ``import
lectern_protocol`` finds the protocol module here: the lesson's author copies nothing.
"""

import os
import runpy
import sys


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: lectern_lesson_demo.py SCRIPT --params JSON")
    script = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    # As if `python SCRIPT …` had been run: the script's folder first, then the protocol's.
    sys.argv = [script] + sys.argv[2:]
    sys.path[0] = os.path.dirname(script)
    if here not in sys.path:
        sys.path.insert(1, here)
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
