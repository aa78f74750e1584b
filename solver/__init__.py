"""The CP-SAT model that turns dated slots and volunteers into a roster.

The entry point is `solver.solve.solve`, not re-exported here: checking or publishing a roster
needs the rules and the parts, not CP-SAT (whose import, with pandas, is a third of a command's
start-up), and importing this package must not load it.
"""

from solver.params import Params
from solver.result import Assignment, PartResult, Result, Shortfall, Status

__all__ = ["Assignment", "Params", "PartResult", "Result", "Shortfall", "Status"]
