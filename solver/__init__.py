"""The CP-SAT model that turns dated slots and volunteers into a roster."""

from solver.params import Params
from solver.result import Assignment, PartResult, Result, Shortfall, Status
from solver.solve import solve

__all__ = ["Assignment", "Params", "PartResult", "Result", "Shortfall", "Status", "solve"]
